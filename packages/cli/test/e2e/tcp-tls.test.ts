import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OwlEvent } from '@owl/rpc';
import { describe, expect, it, onTestFinished } from 'vitest';
import { owlJson, runOwl, tempHome } from '@owl/test-support/owl';
import { createToken, expectNoTokensIn, owlOk, startTcpDaemon, tempConfigDir } from '@owl/test-support/tcp';

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

describe('TLS on the TCP plane', () => {
  it('serves a self-signed certificate that clients pin by fingerprint', async () => {
    const home = tempHome();
    const env = { OWL_CONFIG_DIR: tempConfigDir() };
    const plane = await startTcpDaemon(home, ['--tcp', '127.0.0.1:0', '--tls']);
    expect(plane.tls).toBe(true);
    expect(plane.fingerprint).toMatch(FINGERPRINT);
    const fingerprint = plane.fingerprint as string;
    expect(statSync(path.join(home, 'keys', 'tls.key')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(home, 'keys')).mode & 0o777).toBe(0o700);
    const human = await owlOk(['daemon', 'status'], { home });
    expect(human.stdout).toContain(`plane    tcp   ${plane.url} (tls, sha256 ${fingerprint})\n`);
    const viewer = await createToken(home, 'viewer');

    await owlOk(['remote', 'add', 'pinned', plane.url, '--token', viewer.token, '--fingerprint', fingerprint], { env });
    const pinned = await runOwl(['--on', 'pinned', 'ls', '--json'], { env });
    expect(pinned.code).toBe(0);
    expect(JSON.parse(pinned.stdout)).toEqual([]);

    // Same pin in lower case without colons, CI style.
    const bareHex = fingerprint.replaceAll(':', '').toLowerCase();
    const ci = await runOwl(['ping', '--json'], { env: { OWL_URL: plane.url, OWL_TOKEN: viewer.token, OWL_FINGERPRINT: bareHex } });
    expect(ci.code).toBe(0);

    const wrong = `${fingerprint.startsWith('00') ? '11' : '00'}${fingerprint.slice(2)}`;
    await owlOk(['remote', 'add', 'impostor', plane.url, '--token', viewer.token, '--fingerprint', wrong], { env });
    const refused = await runOwl(['--on', 'impostor', 'ls'], { env });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toBe(
      `owl: ${plane.url} presented a certificate with sha256 fingerprint ${fingerprint}, but ${wrong} is pinned; ` +
        "if the daemon's certificate changed on purpose, update the pin (owl remote add ... --fingerprint)\n",
    );

    await owlOk(['remote', 'add', 'unpinned', plane.url, '--token', viewer.token], { env });
    const untrusted = await runOwl(['--on', 'unpinned', 'ls'], { env });
    expect(untrusted.code).toBe(4);
    expect(untrusted.stderr).toContain('presented a certificate this machine does not trust (DEPTH_ZERO_SELF_SIGNED_CERT)');

    // The mismatched client stopped after the handshake: the daemon never saw its token.
    const events = await owlJson<OwlEvent[]>(['events', '-n', '1000'], home);
    expect(events.filter((event) => event.type === 'auth_failed')).toEqual([]);

    const plainOnTls = await runOwl(['ping'], { env: { OWL_URL: `ws://${plane.address}`, OWL_TOKEN: viewer.token } });
    expect(plainOnTls.code).toBe(3);
    expect(plainOnTls.stderr).toContain('use a wss:// URL');
    const pinOnPlain = await runOwl(['remote', 'add', 'x', `ws://${plane.address}`, '--fingerprint', fingerprint], { env });
    expect(pinOnPlain.code).toBe(2);
    expect(pinOnPlain.stderr).toBe(`owl: --fingerprint pins a TLS certificate: use a wss:// URL, received ws://${plane.address}\n`);

    expectNoTokensIn([home], [viewer.token]);
  });

  it('keeps its certificate across restarts and serves a given cert and key', async () => {
    const home = tempHome();
    const first = await startTcpDaemon(home, ['--tcp', '127.0.0.1:0', '--tls']);
    await owlOk(['daemon', 'restart', '--tcp', '127.0.0.1:0', '--tls'], { home });
    const status = await owlJson<{ planes: Array<{ kind: string; fingerprint?: string }> }>(['daemon', 'status'], home);
    expect(status.planes.find((plane) => plane.kind === 'tcp')?.fingerprint).toBe(first.fingerprint);

    const files = mkdtempSync(path.join(tmpdir(), 'owl-certs-'));
    onTestFinished(() => rmSync(files, { recursive: true, force: true }));
    copyFileSync(path.join(home, 'keys', 'tls.crt'), path.join(files, 'server.crt'));
    copyFileSync(path.join(home, 'keys', 'tls.key'), path.join(files, 'server.key'));
    const other = tempHome();
    const given = await startTcpDaemon(other, ['--tcp', '127.0.0.1:0', '--tls-cert', path.join(files, 'server.crt'), '--tls-key', path.join(files, 'server.key')]);
    expect(given.fingerprint).toBe(first.fingerprint);
    const viewer = await createToken(other, 'viewer');
    const ping = await runOwl(['ping'], { env: { OWL_URL: given.url, OWL_TOKEN: viewer.token, OWL_FINGERPRINT: given.fingerprint } });
    expect(ping.code).toBe(0);

    const missing = tempHome();
    const refused = await runOwl(['daemon', 'start', '--tcp', '127.0.0.1:0', '--tls-cert', path.join(files, 'nope.crt'), '--tls-key', path.join(files, 'server.key')], { home: missing });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`cannot read the TLS certificate ${path.join(files, 'nope.crt')}: ENOENT`);
  });
});
