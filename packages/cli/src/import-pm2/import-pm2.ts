import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OwlError } from '@owl/rpc';
import { mapPm2App, type MappingRow } from './map-pm2-app.ts';
import { readPm2Source, type Pm2Source } from './read-pm2-source.ts';

export interface ImportOptions {
  source: string;
  output: string;
  force: boolean;
  envName?: string;
}

export interface ImportResult {
  source: string;
  kind: Pm2Source['kind'];
  output: string;
  apps: Array<Record<string, unknown>>;
  mapping: MappingRow[];
}

async function validateApps(source: string, apps: Array<Record<string, unknown>>): Promise<void> {
  const { OwlConfigSchema } = await import('@owl/rpc/contract');
  const parsed = OwlConfigSchema.safeParse({ apps });
  if (parsed.success) return;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new OwlError('OWL_CONFIG_INVALID', `${source}: the apps do not make a valid owl config: ${problems.slice(0, 5).join('; ')}`);
}

/**
 * Turns a PM2 ecosystem file or dump into an owl.config.json for `owl apply`: every PM2
 * option of every app gets a mapping row, including those owl has no counterpart for.
 */
export async function importPm2(options: ImportOptions): Promise<ImportResult> {
  const source = path.resolve(options.source);
  const output = path.resolve(options.output);
  const pm2 = await readPm2Source(source);
  const context = { sourceDirectory: path.dirname(source), outputDirectory: path.dirname(output), kind: pm2.kind, envName: options.envName };
  const apps: Array<Record<string, unknown>> = [];
  const mapping: MappingRow[] = [];
  for (const [index, app] of pm2.apps.entries()) {
    if (typeof app.script !== 'string' || app.script === '') {
      throw new OwlError('OWL_CONFIG_INVALID', `${source}: apps[${index}]${typeof app.name === 'string' ? ` (${app.name})` : ''} has no script`);
    }
    const mapped = mapPm2App(app, context);
    apps.push(mapped.spec);
    mapping.push(...mapped.rows);
  }
  await validateApps(source, apps);
  try {
    await writeFile(output, `${JSON.stringify({ apps }, null, 2)}\n`, { flag: options.force ? 'w' : 'wx' });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
    throw new OwlError('OWL_ALREADY_EXISTS', `${output} exists; overwrite it with --force, or write elsewhere with -o FILE`, { data: { file: output } });
  }
  return { source, kind: pm2.kind, output, apps, mapping };
}
