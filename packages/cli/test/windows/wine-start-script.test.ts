import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { startWineDaemon, toWinePath, wineUnavailableReason } from '../helpers/wine.ts';

const unavailable = wineUnavailableReason();
// CI sets OWL_REQUIRE_WINE=1 so a missing Wine fails instead of skipping.
if (unavailable && process.env.OWL_REQUIRE_WINE === '1') throw new Error(`Wine tests required: ${unavailable}`);

describe.skipIf(unavailable !== null)('owl start <script> on Windows (under Wine)', () => {
  it('runs a .cmd file with cmd.exe and a .js file with the node that runs owl', async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'owl-win-scripts-'));
    onTestFinished(() => rmSync(project, { recursive: true, force: true }));
    writeFileSync(path.join(project, 'job.cmd'), '@echo job %1\r\n');
    writeFileSync(path.join(project, 'app.js'), 'console.log(`node ${process.platform} ${process.argv[2]}`);\n');
    const daemon = await startWineDaemon();
    onTestFinished(() => daemon.dispose());
    const { home, owl } = daemon;
    const outLog = (app: string): string => {
      const file = path.join(home, 'logs', app, 'out.log');
      return existsSync(file) ? readFileSync(file, 'utf8') : '';
    };

    const job = await owl('start', toWinePath(path.join(project, 'job.cmd')), '--restart-policy', 'on-failure', '--', 'hello');
    expect(job.code).toBe(0);
    await waitFor(() => outLog('job').includes('job hello\r\n'), { timeoutMs: 60_000, message: `job never wrote its line; log: ${outLog('job')}` });
    const jobSpec = (JSON.parse((await owl('describe', 'job', '--json')).output) as { spec: { command: string; args: string[] } }).spec;
    expect(jobSpec).toMatchObject({ command: 'cmd.exe', args: ['/d', '/c', toWinePath(path.join(project, 'job.cmd')), 'hello'] });

    const node = await owl('start', toWinePath(path.join(project, 'app.js')), '--restart-policy', 'on-failure', '--', 'hi');
    expect(node.code).toBe(0);
    await waitFor(() => outLog('app').includes('node win32 hi'), { timeoutMs: 60_000, message: `app never wrote its line; log: ${outLog('app')}` });
    const appSpec = (JSON.parse((await owl('describe', 'app', '--json')).output) as { spec: { command: string } }).spec;
    expect(appSpec.command).toMatch(/node\.exe$/i);
  }, 240_000);
});
