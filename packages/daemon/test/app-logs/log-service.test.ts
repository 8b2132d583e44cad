import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AppSpecInputSchema, type LogLine } from '@owl/rpc/contract';
import { DEFAULT_LOG_LIMITS, type LogLimits } from '../../src/app-logs/log-limits.ts';
import { LogService, type LoggedApp } from '../../src/app-logs/log-service.ts';
import { waitFor } from '@owl/test-support/wait-for';

function loggedApp(name: string, instances: number = 1): LoggedApp {
  const spec = AppSpecInputSchema.parse({ name, command: 'node', instances });
  return { spec, instances: Array.from({ length: instances }, (_, index) => ({ index, pid: null })) };
}

function startService(apps: Record<string, LoggedApp>, limits: Partial<LogLimits> = { pollMinMs: 5, pollMaxMs: 20 }, logs = mkdtempSync(path.join(tmpdir(), 'owl-logsvc-'))): { service: LogService; logs: string } {
  const service = new LogService({ logsDirectory: logs, info: () => undefined, warn: () => undefined, limits });
  onTestFinished(async () => {
    await service.stop();
    rmSync(logs, { recursive: true, force: true });
  });
  service.syncApps(apps);
  service.start();
  return { service, logs };
}

function write(logs: string, app: string, file: string, text: string): void {
  mkdirSync(path.join(logs, app), { recursive: true });
  appendFileSync(path.join(logs, app, file), text);
}

describe('LogService', () => {
  it('reads every app, instance and stream, interleaved in the order it read them', async () => {
    const { service, logs } = startService({ web: loggedApp('web', 2), job: loggedApp('job') });
    write(logs, 'web', 'out.log', 'w0 first\n');
    await waitFor(() => service.read({ stream: 'both' }, 10).length === 1);
    write(logs, 'web', 'err-1.log', 'w1 oops\n');
    await waitFor(() => service.read({ stream: 'both' }, 10).length === 2);
    write(logs, 'job', 'out.log', 'job done\n');
    const all = await waitFor(() => (service.read({ stream: 'both' }, 10).length === 3 ? service.read({ stream: 'both' }, 10) : undefined));
    expect(all.map(({ app, instance, stream, line }) => [app, instance, stream, line])).toEqual([
      ['web', 0, 'out', 'w0 first'],
      ['web', 1, 'err', 'w1 oops'],
      ['job', 0, 'out', 'job done'],
    ]);
    expect(service.read({ name: 'web', stream: 'err' }, 10).map((line) => line.line)).toEqual(['w1 oops']);
    expect(service.read({ stream: 'both' }, 2).map((line) => line.line)).toEqual(['w1 oops', 'job done']);
  });

  it('follows new lines of the chosen app and stream only', async () => {
    const { service, logs } = startService({ web: loggedApp('web'), job: loggedApp('job') });
    const received: LogLine[] = [];
    const stop = service.follow({ name: 'web', stream: 'out' }, (batch) => received.push(...batch));
    write(logs, 'job', 'out.log', 'not this\n');
    write(logs, 'web', 'err.log', 'nor this\n');
    write(logs, 'web', 'out.log', 'this\n');
    await waitFor(() => received.length > 0);
    await waitFor(() => service.read({ stream: 'both' }, 10).length === 3);
    expect(received.map((line) => line.line)).toEqual(['this']);
    stop();
  });

  it('a follower gets every line of a flood, in order; without one the ring still ends with the last lines written', async () => {
    const { service, logs } = startService({ followed: loggedApp('followed'), alone: loggedApp('alone') });
    const received: string[] = [];
    const stop = service.follow({ name: 'followed', stream: 'out' }, (batch) => {
      for (const line of batch) received.push(line.line);
    });
    onTestFinished(stop);
    const total = 60_000;
    // Written in large appends before the tail first finds the file, so reads take in thousands of lines at once.
    for (let first = 1; first <= total; first += 5_000) {
      const text = Array.from({ length: 5_000 }, (_, index) => `${String(first + index).padStart(6, '0')} ${'x'.repeat(50)}\n`).join('');
      write(logs, 'followed', 'out.log', text);
      write(logs, 'alone', 'out.log', text);
    }
    await waitFor(() => received.length >= total, { timeoutMs: 30_000, message: `the follower never got all ${total} lines` });
    expect(received).toHaveLength(total);
    expect(received.findIndex((line, index) => Number(line.slice(0, 6)) !== index + 1)).toBe(-1);
    const last = await waitFor(() => {
      const lines = service.read({ name: 'alone', stream: 'out' }, 10_000);
      return lines.at(-1)?.line.startsWith(String(total).padStart(6, '0')) ? lines : undefined;
    }, { timeoutMs: 30_000, message: 'the unfollowed tail never reached the last line' });
    expect(last).toHaveLength(DEFAULT_LOG_LIMITS.ringLines);
    expect(last.findIndex((line, index) => Number(line.line.slice(0, 6)) !== total - DEFAULT_LOG_LIMITS.ringLines + 1 + index)).toBe(-1);
  });

  it('forgets a deleted app: OWL_NOT_FOUND naming it', async () => {
    const { service } = startService({ web: loggedApp('web') });
    expect(service.read({ name: 'web', stream: 'both' }, 10)).toEqual([]);
    service.syncApps({});
    expect(() => service.read({ name: 'web', stream: 'both' }, 10)).toThrow(expect.objectContaining({ code: 'OWL_NOT_FOUND', message: 'app "web" not found' }));
    expect(() => service.follow({ name: 'web', stream: 'both' }, () => undefined)).toThrow('app "web" not found');
  });

  it.runIf(process.platform !== 'win32')('reads an idle file as soon as it changes, not at the next poll', async () => {
    const logs = mkdtempSync(path.join(tmpdir(), 'owl-logsvc-'));
    write(logs, 'web', 'out.log', 'before\n');
    // Polls an hour apart: only the change event can bring the second line in.
    const hour = 3_600_000;
    const { service } = startService({ web: loggedApp('web') }, { pollMinMs: hour, pollMaxMs: hour, watchedPollMaxMs: hour }, logs);
    await waitFor(() => service.read({ stream: 'out' }, 10).length === 1);
    write(logs, 'web', 'out.log', 'after\n');
    await waitFor(() => service.read({ stream: 'out' }, 10).length === 2, { message: 'the change event never woke the tailer' });
    expect(service.read({ stream: 'out' }, 10).map((line) => line.line)).toEqual(['before', 'after']);
  });
});
