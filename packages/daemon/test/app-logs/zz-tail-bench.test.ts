import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'vitest';
import { AppSpecInputSchema } from '@owl/rpc/contract';
import { LogService as NewService } from '/work/wt-restart-logs/packages/daemon/src/app-logs/log-service.ts';
import { LogService as BaseService } from '/tmp/rl-base-wt/packages/daemon/src/app-logs/log-service.ts';

const LINES = Number(process.env.TAIL_LINES ?? 1_000_000);
const chunk = Array.from({ length: 10_000 }, (_, i) => `${String(i).padStart(9, '0')} ${'x'.repeat(53)}\n`).join('');
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1] as number;

async function once(Service: typeof NewService, follow: boolean): Promise<{ cpuMs: number; wallMs: number }> {
  const logs = mkdtempSync(path.join(tmpdir(), 'tailbench-'));
  mkdirSync(path.join(logs, 'flood'));
  const file = path.join(logs, 'flood', 'out.log');
  writeFileSync(file, '');
  const spec = AppSpecInputSchema.parse({ name: 'flood', command: 'node', logs: { maxSize: '64GB' } });
  const service = new Service({ logsDirectory: logs, info: () => undefined, warn: (m: string) => console.log(m) });
  service.syncApps({ flood: { spec, instances: [{ index: 0, pid: null }] } });
  service.start();
  let got = 0;
  if (follow) service.follow({ name: 'flood', stream: 'out' }, (b) => (got += b.length));
  for (let n = 0; n < LINES; n += 10_000) appendFileSync(file, chunk);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const lastLine = `${String(9_999).padStart(9, '0')} `;
  for (;;) {
    const last = service.read({ name: 'flood', stream: 'out' }, 1)[0];
    if (last?.line.startsWith(lastLine) && (!follow || got >= LINES)) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  await service.stop();
  rmSync(logs, { recursive: true, force: true });
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

it('tail cost', { timeout: 900_000 }, async () => {
  const results: Record<string, number[]> = {};
  for (let round = 0; round < Number(process.env.TAIL_ROUNDS ?? 5); round += 1) {
    for (const [name, Service] of (round % 2 ? [['new', NewService], ['base', BaseService]] : [['base', BaseService], ['new', NewService]]) as Array<[string, typeof NewService]>) {
      for (const follow of [false, true]) {
        const r = await once(Service, follow);
        (results[`${name} ${follow ? 'followed' : 'unfollowed'}`] ??= []).push(r.cpuMs);
      }
    }
  }
  for (const [key, values] of Object.entries(results)) console.log(`${key}: cpu median ${median(values).toFixed(0)} ms for ${LINES} lines (${values.map((v) => v.toFixed(0)).join(', ')})`);
});
