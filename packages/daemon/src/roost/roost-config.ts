import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { OwlError, parseConfigJson, unreadableConfigError } from '@owl/rpc';
import { RoostNameSchema } from '@owl/rpc/contract';
import { describeZodError, ZOD_PARSE_OPTIONS } from '@owl/rpc/server';

/**
 * The `roost` section of config.json: the allowlist of destinations. A roost not named here
 * cannot be published to (fail-closed).
 *
 * @example
 * { "roost": { "roots": { "site": "/srv/content/site" }, "keep": 3 } }
 */
const RoostConfigSchema = z.strictObject({
  roots: z.record(RoostNameSchema, z.string().refine((value) => path.isAbsolute(value), 'must be an absolute path')).default({}),
  /** Versions kept on disk per roost, the current one included (instant rollback to the others). */
  keep: z.number().int().min(2).max(100).default(3),
});
export type RoostConfig = z.output<typeof RoostConfigSchema>;

/** Read at each roost call, so roots added to config.json apply without a daemon restart. */
export async function loadRoostConfig(file: string): Promise<RoostConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return RoostConfigSchema.parse({});
    throw unreadableConfigError(file, error);
  }
  const section = (parseConfigJson(file, text) as { roost?: unknown } | null)?.roost ?? {};
  const parsed = RoostConfigSchema.safeParse(section, ZOD_PARSE_OPTIONS);
  if (!parsed.success) throw new OwlError('OWL_CONFIG_INVALID', `${file}: roost: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** The configured link path of a roost; OWL_NOT_FOUND when config.json names no root for it. */
export function roostRoot(config: RoostConfig, roost: string, file: string): string {
  const root = config.roots[roost];
  if (root === undefined) {
    throw new OwlError('OWL_NOT_FOUND', `roost "${roost}" has no root in ${file}: add "roost": { "roots": { "${roost}": "/absolute/path" } }`, { data: { roost } });
  }
  return path.resolve(root);
}
