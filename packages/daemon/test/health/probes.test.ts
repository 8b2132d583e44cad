import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished, describe, expect, it } from 'vitest';
import { probeHttp } from '../../src/health/probe-http.ts';
import { probeTcp } from '../../src/health/probe-tcp.ts';
import { probeExec } from '../../src/health/probe-exec.ts';
import { isPidRunning } from '../../src/process/is-alive.ts';
import { waitFor, waitForMarker } from '@owl/test-support/wait-for';
import { fixture } from '@owl/test-support/fixtures';

async function listen<T extends Server | HttpServer>(server: T): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('http probe', () => {
  it('passes 2xx and 3xx, fails other statuses and names them', async () => {
    const server = createHttpServer((request, response) => {
      const status = Number(request.url?.slice(1)) || 200;
      response.writeHead(status, status === 302 ? { location: 'http://127.0.0.1:1/elsewhere' } : {});
      response.end('body');
    });
    const port = await listen(server);
    const base = `http://127.0.0.1:${port}`;
    expect(await probeHttp(`${base}/204`, 2_000)).toEqual({ ok: true, detail: `HTTP 204 from ${base}/204` });
    expect(await probeHttp(`${base}/302`, 2_000)).toEqual({ ok: true, detail: `HTTP 302 from ${base}/302` });
    expect(await probeHttp(`${base}/503`, 2_000)).toEqual({ ok: false, detail: `HTTP 503 from ${base}/503 (expected 2xx or 3xx)` });
    server.closeAllConnections();
  });

  it('fails a server that accepts but never answers, after the timeout', async () => {
    const server = createHttpServer(() => undefined);
    const port = await listen(server);
    const url = `http://127.0.0.1:${port}/`;
    expect(await probeHttp(url, 200)).toEqual({ ok: false, detail: `no answer from ${url} within 200 ms` });
    server.closeAllConnections();
  });

  it('fails a refused connection with its error code', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/health`;
    expect(await probeHttp(url, 2_000)).toEqual({ ok: false, detail: `cannot reach ${url}: ECONNREFUSED` });
  });
});

describe('tcp probe', () => {
  it('passes when the port accepts a connection', async () => {
    const port = await listen(createTcpServer((socket) => socket.destroy()));
    expect(await probeTcp(port, 2_000)).toEqual({ ok: true, detail: `connected to 127.0.0.1:${port}` });
  });

  it('fails a refused port', async () => {
    const port = await closedPort();
    expect(await probeTcp(port, 2_000)).toEqual({ ok: false, detail: `cannot connect to 127.0.0.1:${port}: ECONNREFUSED` });
  });
});

describe('exec probe', () => {
  const options = { cwd: tmpdir(), env: process.env, timeoutMs: 5_000 };
  const node = JSON.stringify(process.execPath);

  it('passes exit code 0 and quotes the last output line of a failure', async () => {
    expect(await probeExec(`${node} -e "process.exit(0)"`, options)).toEqual({ ok: true, detail: `"${node} -e "process.exit(0)"" exited with code 0` });
    const failing = `${node} -e "console.log('first'); console.error('database is down'); process.exit(3)"`;
    expect(await probeExec(failing, options)).toEqual({ ok: false, detail: `"${failing}" exited with code 3: database is down` });
  });

  it('kills a command that overstays its timeout, with its children', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'owl-exec-probe-'));
    onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
    const marker = path.join(directory, 'marker.jsonl');
    const script = JSON.stringify(fixture('spawns-grandchild.mjs'));
    const command = `${node} ${script}`;
    const probing = probeExec(command, { ...options, env: { ...process.env, OWL_FIXTURE_MARKER: marker }, timeoutMs: 3_000 });
    const ready = await waitForMarker(marker, 'ready');
    expect(await probing).toEqual({ ok: false, detail: `"${command}" did not finish within 3000 ms` });
    const pids = [ready.pid, ready.childPid as number, ready.grandchildPid as number];
    await waitFor(async () => (await Promise.all(pids.map((pid) => isPidRunning(pid)))).every((alive) => !alive), { message: `check command tree ${pids.join(', ')} survived` });
  });
});
