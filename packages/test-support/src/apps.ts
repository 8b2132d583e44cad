import type { AppRow, OwlEvent } from '@owl/rpc';
import { waitFor } from './wait-for.ts';
import { fixture } from './fixtures.ts';
import { owlJson, runOwl } from './owl.ts';

export async function listApps(home: string): Promise<AppRow[]> {
  return owlJson<AppRow[]>(['ls'], home);
}

export async function appRow(home: string, name: string, instance: number = 0): Promise<AppRow | undefined> {
  return (await listApps(home)).find((row) => row.name === name && row.instance === instance);
}

/** Waits until the app's row satisfies `predicate`, returning that row. */
export function waitForApp(home: string, name: string, predicate: (row: AppRow) => boolean, timeoutMs: number = 15_000): Promise<AppRow> {
  let last: AppRow | undefined;
  return waitFor(
    async () => {
      last = await appRow(home, name);
      return last && predicate(last) ? last : undefined;
    },
    { timeoutMs, intervalMs: 50, message: `app ${name} never reached the expected state; last row: ${JSON.stringify(last)}` },
  );
}

export async function events(home: string, app?: string): Promise<OwlEvent[]> {
  return owlJson<OwlEvent[]>(['events', '-n', '10000', ...(app ? ['--app', app] : [])], home);
}

/** `owl start --name NAME [flags] -- node FIXTURE args`, asserting success. */
export async function startFixture(home: string, name: string, file: string, args: string[] = [], flags: string[] = []): Promise<void> {
  const result = await runOwl(['start', '--name', name, ...flags, '--', process.execPath, fixture(file), ...args], { home });
  if (result.code !== 0) throw new Error(`owl start ${name} exited ${result.code}: ${result.stderr}`);
}
