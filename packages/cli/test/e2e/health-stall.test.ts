import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OwlEvent } from '@owl/rpc';
import { describe, expect, it } from 'vitest';
import { waitFor, waitForMarker } from '@owl/test-support/wait-for';
import { isAlive, runOwl, tempHome } from '@owl/test-support/owl';
import { appRow, events, startFixture, waitForApp } from '@owl/test-support/apps';
import { freePort } from '@owl/test-support/free-port';

interface HungServer {
  home: string;
  port: number;
  /** The fixture hangs while this file lists its pid. */
  control: string;
  marker: string;
}

async function startHungServer(killAfter: string): Promise<HungServer> {
  const home = tempHome();
  expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
  const port = await freePort();
  const control = path.join(home, 'hang-pids');
  const marker = path.join(home, 'web.jsonl');
  const flags = ['--env', `OWL_FIXTURE_MARKER=${marker}`, '--health-http', `http://127.0.0.1:${port}/`];
  // initGrace: checks start once a (re)launched server had time to listen.
  flags.push('--init-grace', '1500ms', '--health-interval', '200ms', '--health-timeout', '300ms', '--stall-after', '2', '--kill-after', killAfter);
  await startFixture(home, 'web', 'http-hangs.mjs', [String(port), control], flags);
  return { home, port, control, marker };
}

function healthEvents(all: OwlEvent[]): Array<[string, unknown]> {
  return all.filter((event) => event.type === 'health' || event.type === 'state').map((event) => [event.type, event.type === 'health' ? event.data.ok : event.data.to]);
}

describe('health checks and hang detection', () => {
  it('stalls an http app that stops answering and recovers it to running when it answers again', async () => {
    const { home, port, control, marker } = await startHungServer('1h');
    const { pid } = await waitForMarker(marker, 'ready');
    await waitFor(async () => (await events(home, 'web')).some((event) => event.type === 'health' && event.data.ok === true), { message: 'no passing health check' });

    writeFileSync(control, `${pid}\n`);
    const stalled = await waitForApp(home, 'web', (row) => row.status === 'stalled');
    expect(stalled.pid).toBe(pid);
    expect(stalled.reason).toBe(`2 consecutive health check failures; last: no answer from http://127.0.0.1:${port}/ within 300 ms`);

    writeFileSync(control, '');
    const recovered = await waitForApp(home, 'web', (row) => row.status === 'running');
    expect(recovered).toMatchObject({ pid, restarts: 0, reason: null });
    expect(healthEvents(await events(home, 'web'))).toEqual([
      ['state', 'launching'],
      ['state', 'running'],
      ['health', true],
      ['health', false],
      ['state', 'stalled'],
      ['health', true],
      ['state', 'running'],
    ]);
  });

  it('kills the tree of an app stalled longer than killAfter and relaunches it', async () => {
    const { home, port, control, marker } = await startHungServer('500ms');
    const { pid } = await waitForMarker(marker, 'ready');
    writeFileSync(control, `${pid}\n`);

    const relaunched = await waitForApp(home, 'web', (row) => row.status === 'running' && row.pid !== null && row.pid !== pid, 20_000);
    expect(relaunched.restarts).toBe(1);
    expect(relaunched.lastExit?.signal).toBe('SIGKILL');
    expect(isAlive(pid)).toBe(false);
    const all = await events(home, 'web');
    const kill = all.find((event) => event.type === 'health_kill');
    expect(kill?.data).toEqual({ pid, reason: `stalled for 500 ms (killAfter); last check: no answer from http://127.0.0.1:${port}/ within 300 ms` });
    const untilRestart = all.slice(0, all.findIndex((event) => event.type === 'restart') + 1);
    const order = untilRestart.filter((event) => ['health_kill', 'restart'].includes(event.type) || (event.type === 'state' && ['stalled', 'stopping', 'queued'].includes(event.data.to as string)));
    expect(order.map((event) => (event.type === 'state' ? event.data.to : event.type))).toEqual(['stalled', 'health_kill', 'stopping', 'queued', 'restart']);
    // The new process answers: a passing check follows the relaunch.
    await waitFor(async () => (await events(home, 'web')).some((event) => event.type === 'health' && event.data.ok === true && event.data.pid === relaunched.pid), {
      message: 'the relaunched app never passed a health check',
    });
  });

  it('counts checks only after initGrace, and never stalls an app without a check', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const closed = String(await freePort());
    const check = ['--health-tcp', closed, '--health-interval', '100ms', '--stall-after', '2', '--kill-after', '1h'];
    await startFixture(home, 'graceful', 'forever.mjs', [], [...check, '--init-grace', '1h']);
    await startFixture(home, 'plain', 'forever.mjs');
    await startFixture(home, 'broken', 'forever.mjs', [], check);
    const broken = await waitForApp(home, 'broken', (row) => row.status === 'stalled');
    expect(broken.reason).toBe(`2 consecutive health check failures; last: cannot connect to 127.0.0.1:${closed}: ECONNREFUSED`);
    expect((await appRow(home, 'graceful'))?.status).toBe('launching');
    expect((await appRow(home, 'plain'))?.status).toBe('running');
    const all = await events(home);
    expect(all.filter((event) => event.type === 'health' && event.app !== 'broken')).toEqual([]);
  });
});
