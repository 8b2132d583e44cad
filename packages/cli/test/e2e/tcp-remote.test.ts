import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { AppRow } from '@owl/rpc';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { waitForApp } from '@owl/test-support/apps';
import { fixture } from '@owl/test-support/fixtures';
import { OWL_BIN, owlJson, runOwl, tempHome } from '@owl/test-support/owl';
import { createToken, expectNoTokensIn, owlOk, startTcpDaemon, tempConfigDir } from '@owl/test-support/tcp';

/** `owl <args>` left running (logs -f); stopped with SIGINT, by pid, when the test ends. */
function spawnOwl(args: string[], env: NodeJS.ProcessEnv): { output: () => string; interrupt: () => Promise<number | null> } {
  const child = spawn(process.execPath, [OWL_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    output: () => output,
    interrupt: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

describe('remote daemons over the TCP plane', () => {
  it('drives a second daemon by alias: list, start, restart, stop; tokens never leak', async () => {
    const local = tempHome('owl-local-');
    const remoteHome = tempHome('owl-remote-');
    const configDir = tempConfigDir();
    const env = { OWL_CONFIG_DIR: configDir };
    await owlOk(['daemon', 'start'], { home: local });
    const plane = await startTcpDaemon(remoteHome);
    expect(plane.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(plane.tls).toBe(false);
    const localStatus = await owlJson<{ planes: Array<{ kind: string }> }>(['daemon', 'status'], local);
    expect(localStatus.planes.map((p) => p.kind)).toEqual(['local']);

    const operator = await createToken(remoteHome, 'operator', ['--name', 'deploy-bot', '--ttl', '2h']);
    expect(Object.keys(operator).sort()).toEqual(['expiresAt', 'id', 'name', 'role', 'token']);
    expect(operator).toMatchObject({ name: 'deploy-bot', role: 'operator' });
    const plain = await owlOk(['token', 'create', '--role', 'viewer'], { home: remoteHome });
    const viewer = plain.stdout.trimEnd();
    expect(plain.stdout).toBe(`${viewer}\n`);
    expect(viewer.split('.')).toHaveLength(3);

    await owlOk(['remote', 'add', 'far', plane.url, '--token', operator.token], { home: local, env });
    const remotesFile = path.join(configDir, 'remotes.json');
    expect(statSync(remotesFile).mode & 0o777).toBe(0o600);
    const listed = await owlOk(['remote', 'list', '--json'], { env });
    expect(listed.stdout).not.toContain(operator.token);
    expect(JSON.parse(listed.stdout)).toEqual([{ alias: 'far', url: plane.url, fingerprint: null, token: true }]);

    await owlOk(['--on', 'far', 'start', '--name', 'web', '--', process.execPath, fixture('numbered-lines.mjs'), '50'], { home: local, env });
    const remoteRows = await owlJson<AppRow[]>(['ls'], remoteHome);
    expect(remoteRows.map((row) => row.name)).toEqual(['web']);
    expect(await owlJson<AppRow[]>(['ls'], local)).toEqual([]);
    const viaAlias = JSON.parse((await owlOk(['--on', 'far', 'ls', '--json'], { home: local, env })).stdout) as AppRow[];
    expect(viaAlias.map((row) => row.name)).toEqual(['web']);

    const before = await waitForApp(remoteHome, 'web', (row) => row.status === 'running');
    const follow = spawnOwl(['--home', local, '--on', 'far', 'logs', 'web', '--out', '-f', '-n', '0'], env);
    await waitFor(() => /^tick \d+$/m.test(follow.output()), { message: 'logs -f over the TCP plane never showed a line' });
    const restarted = await owlOk(['--on', 'far', 'restart', 'web'], { home: local, env });
    expect(restarted.stdout).toBe('restarted: web\n');
    const after = await waitForApp(remoteHome, 'web', (row) => row.status === 'running' && row.pid !== before.pid);
    // The restarted process's first line arrives live over the remote subscription.
    await waitFor(() => follow.output().includes(`ready ${after.pid}\n`), { message: `logs -f never showed the new process; got ${follow.output()}` });
    expect(await follow.interrupt()).toBe(0);

    // An operator token manages apps, not the daemon's tokens.
    const forbidden = await runOwl(['--on', 'far', 'token', 'list'], { home: local, env });
    expect(forbidden.code).toBe(4);
    expect(forbidden.stderr).toBe('owl: method "tokens.list" needs role admin, the caller has role operator\n');

    // CI: no alias, just OWL_URL and OWL_TOKEN.
    const ci = await runOwl(['ls', '--json'], { env: { OWL_URL: plane.url, OWL_TOKEN: viewer } });
    expect(ci.code).toBe(0);
    expect((JSON.parse(ci.stdout) as AppRow[]).map((row) => row.name)).toEqual(['web']);
    const ciStop = await runOwl(['stop', 'web'], { env: { OWL_URL: plane.url, OWL_TOKEN: viewer } });
    expect(ciStop.code).toBe(4);
    expect(ciStop.stderr).toBe('owl: method "apps.stop" needs role operator, the caller has role viewer\n');

    await owlOk(['--on', 'far', 'stop', 'web'], { home: local, env });
    await waitForApp(remoteHome, 'web', (row) => row.status === 'stopped');

    const unknown = await runOwl(['--on', 'nowhere', 'ls'], { env });
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toBe(`owl: no remote named "nowhere" in ${remotesFile}; add it with: owl remote add nowhere <url> --token <token>\n`);

    expect((await owlOk(['remote', 'rm', 'far'], { env })).stdout).toBe('removed remote far\n');
    expect(JSON.parse((await owlOk(['remote', 'list', '--json'], { env })).stdout)).toEqual([]);

    expectNoTokensIn([local, remoteHome], [operator.token, viewer]);
  });

  it('lists tokens without their values and refuses a revoked one', async () => {
    const home = tempHome();
    const plane = await startTcpDaemon(home);
    const token = await createToken(home, 'viewer', ['--name', 'grafana']);
    const list = await owlOk(['token', 'list', '--json'], { home });
    expect(list.stdout).not.toContain(token.token);
    const [info] = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    expect(info).toEqual({ id: token.id, name: 'grafana', role: 'viewer', createdAt: expect.any(String), expiresAt: token.expiresAt, revoked: false });
    const table = await owlOk(['token', 'list'], { home });
    expect(table.stdout).toMatch(new RegExp(`^ID +NAME +ROLE +EXPIRES +STATUS\\n${token.id} +grafana +viewer +\\S+ +active\\n$`));

    expect((await runOwl(['ping'], { env: { OWL_URL: plane.url, OWL_TOKEN: token.token } })).code).toBe(0);
    expect((await owlOk(['token', 'revoke', token.id], { home })).stdout).toBe(`revoked token ${token.id}\n`);
    const refused = await runOwl(['ping'], { env: { OWL_URL: plane.url, OWL_TOKEN: token.token } });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toBe(`owl: ${plane.url} refused the connection (HTTP 401): token "${token.id}" was revoked\n`);

    const again = await runOwl(['token', 'revoke', 'no-such-id'], { home });
    expect(again.code).toBe(5);
    expect(again.stderr).toBe('owl: token "no-such-id" not found (expired or never issued); see owl token list\n');
    const badRole = await runOwl(['token', 'create', '--role', 'root'], { home });
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('invalid params for "tokens.create": role:');
    const forever = await runOwl(['token', 'create', '--role', 'viewer', '--ttl', '400d'], { home });
    expect(forever.code).toBe(2);
    expect(forever.stderr).toContain('ttl: expected a lifetime between 1m and 365d');

    expectNoTokensIn([home], [token.token]);
  });

  it('serves /healthz without a token and /metrics to any valid token', async () => {
    const home = tempHome();
    const plane = await startTcpDaemon(home);
    const base = `http://${plane.address}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const anonymous = await fetch(`${base}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="owl"');

    await owlOk(['start', '--name', 'api', '--', process.execPath, fixture('forever.mjs')], { home });
    const running = await waitForApp(home, 'api', (row) => row.status === 'running');
    const viewer = await createToken(home, 'viewer');
    const metrics = await waitFor(async () => {
      const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${viewer.token}` } });
      const text = await response.text();
      return response.status === 200 && text.includes('owl_app_memory_bytes{app="api"') ? { response, text } : undefined;
    });
    expect(metrics.response.headers.get('content-type')).toContain('text/plain');
    expect(metrics.text).toContain('owld_info{version="');
    expect(metrics.text).toContain('owl_app_up{app="api",instance="0"} 1');
    expect(metrics.text).toContain(`owl_app_pid{app="api",instance="0"} ${running.pid}`);
    expect(metrics.text).toContain('owl_app_status{app="api",instance="0",status="running"} 1');
    expect(metrics.text).toContain('owl_app_restarts{app="api",instance="0"} 0');
    expect(metrics.text).toMatch(/owl_app_cpu_percent\{app="api",instance="0"\} [\d.]+/);
    expect(metrics.text).toMatch(/owld_process_resident_memory_bytes \d+/);

    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${viewer.token}` } })).status).toBe(405);
    expectNoTokensIn([home], [viewer.token]);
  });

  it('refuses start flags that make no sense, before starting anything', async () => {
    const home = tempHome();
    const badPort = await runOwl(['daemon', 'start', '--tcp', 'localhost:99999'], { home });
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toBe('owl: --tcp: expected [host:]port such as 9700, 127.0.0.1:9700 or [::1]:9700, received "localhost:99999"\n');
    const tlsAlone = await runOwl(['daemon', 'start', '--tls'], { home });
    expect(tlsAlone.code).toBe(3);
    expect(tlsAlone.stderr).toContain('--tls needs the TCP plane: add --tcp [host:]port or set planes.tcp in config.json');
    const remoteStart = await runOwl(['--on', 'x', 'daemon', 'start'], { home });
    expect(remoteStart.code).toBe(2);
    expect(remoteStart.stderr).toBe('owl: owl daemon start acts on the daemon of this machine; --on x is not supported here\n');
  });
});
