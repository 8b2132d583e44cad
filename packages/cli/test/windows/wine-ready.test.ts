import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { stopWineServer, toWinePath, WINE, windowsNode, wineEnv, wineUnavailableReason } from '../helpers/wine.ts';

const unavailable = wineUnavailableReason();
// CI sets OWL_REQUIRE_WINE=1 so a missing Wine fails instead of skipping.
if (unavailable && process.env.OWL_REQUIRE_WINE === '1') throw new Error(`Wine tests required: ${unavailable}`);

const SPAWNER = fileURLToPath(new URL('../fixtures/lean/spawn-owld-ready.mjs', import.meta.url));

describe.skipIf(unavailable !== null)('readiness on Windows (under Wine)', () => {
  it('owld gets the pipe as fd 3 and writes its ready line on it', { timeout: 300_000 }, async () => {
    const wine = await wineEnv();
    onTestFinished(() => {
      stopWineServer(wine);
      rmSync(wine.prefix, { recursive: true, force: true });
    });
    const spawner = path.join(wine.prefix, 'spawn-owld-ready.mjs');
    cpSync(SPAWNER, spawner);
    const out = path.join(wine.prefix, 'ready.txt');
    const owld = path.join(path.dirname(wine.owlBin), 'owld.mjs');
    const child = spawn(WINE, [windowsNode(), toWinePath(spawner), toWinePath(owld), toWinePath(out)], { env: wine.env, stdio: 'ignore' });
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
    expect(existsSync(out)).toBe(true);
    const line = readFileSync(out, 'utf8').trim();
    // "ended" = owld closed the pipe itself after writing; "timeout" = nothing came.
    expect(line.startsWith('ended ')).toBe(true);
    const report = JSON.parse(line.slice('ended '.length)) as { text: string; pid: number };
    // The ready line names the planes owld listens on: here the local named pipe only.
    expect(JSON.parse(report.text)).toEqual({
      pid: report.pid,
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      planes: [{ kind: 'local', address: expect.stringMatching(/^\\\\\.\\pipe\\owl-[0-9a-f]+$/) }],
    });
  });
});
