import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { runOwl, type OwlResult } from './owl.ts';

export interface TcpPlaneStatus {
  kind: 'tcp';
  address: string;
  tls: boolean;
  fingerprint?: string;
}

/** A temp directory for `remotes.json` (OWL_CONFIG_DIR), removed when the test ends. */
export function tempConfigDir(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'owl-config-'));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** Runs owl and fails the test on a non-zero exit. */
export async function owlOk(args: string[], options: Parameters<typeof runOwl>[1] = {}): Promise<OwlResult> {
  const result = await runOwl(args, options);
  if (result.code !== 0) throw new Error(`owl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result;
}

export function writeDaemonConfig(home: string, tcp: Record<string, unknown>): void {
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ planes: { tcp: { host: '127.0.0.1', port: 0, ...tcp } } }));
}

/** The TCP plane the daemon of `home` reports in `owl daemon status --json`. */
export async function tcpPlaneOf(home: string): Promise<TcpPlaneStatus> {
  const status = JSON.parse((await owlOk(['daemon', 'status', '--json'], { home })).stdout) as { planes: Array<{ kind: string }> };
  const plane = status.planes.find((candidate) => candidate.kind === 'tcp');
  if (!plane) throw new Error(`the daemon of ${home} serves no TCP plane: ${JSON.stringify(status.planes)}`);
  return plane as TcpPlaneStatus;
}

/** `owl daemon start` with extra flags (default: TCP plane on a free loopback port); returns its URL. */
export async function startTcpDaemon(home: string, flags: string[] = ['--tcp', '127.0.0.1:0']): Promise<TcpPlaneStatus & { url: string }> {
  await owlOk(['daemon', 'start', ...flags], { home });
  const plane = await tcpPlaneOf(home);
  return { ...plane, url: `${plane.tls ? 'wss' : 'ws'}://${plane.address}` };
}

export interface CreatedToken {
  id: string;
  name: string | null;
  role: string;
  expiresAt: string;
  token: string;
}

export async function createToken(home: string, role: string, extra: string[] = []): Promise<CreatedToken> {
  return JSON.parse((await owlOk(['token', 'create', '--role', role, ...extra, '--json'], { home })).stdout) as CreatedToken;
}

/** Every file under `directory`, except the secrets that legitimately hold key material. */
function filesBelow(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...filesBelow(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/**
 * Greps every log, the audit log, state and token list of the homes for the tokens: none
 * may appear anywhere (keys/jwt.key and the TLS key are skipped: they hold other secrets).
 */
export function expectNoTokensIn(homes: string[], tokens: string[]): void {
  expect(tokens.length).toBeGreaterThan(0);
  const checked: string[] = [];
  for (const home of homes) {
    for (const file of filesBelow(home)) {
      if (/keys[\\/](jwt|tls)\.key$/.test(file) || statSync(file).size > 50 * 1024 * 1024) continue;
      const text = readFileSync(file, 'utf8');
      checked.push(file);
      for (const token of tokens) {
        if (text.includes(token)) throw new Error(`a token appears in ${file}`);
        // The signature part alone would be just as bad.
        const signature = token.split('.')[2] ?? token;
        if (text.includes(signature)) throw new Error(`a token signature appears in ${file}`);
      }
    }
  }
  expect(checked.some((file) => file.endsWith('daemon.log'))).toBe(true);
}
