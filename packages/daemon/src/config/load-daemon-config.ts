import { readFile } from 'node:fs/promises';
import { OwlError, parseConfigJson, unreadableConfigError } from '@owl/rpc';
import type { DaemonConfig } from './daemon-config.ts';

// Loaded only when there is a config.json to check: owld's start without one needs no zod.
const loadSchema = async () => ({ ...(await import('./daemon-config.ts')), ...(await import('@owl/rpc/server')) });

/** Reads and validates config.json once at start; a missing file means every default. */
export async function loadDaemonConfig(file: string): Promise<DaemonConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Object.freeze({ tcp: null, webhooks: [], cluster: null });
    throw unreadableConfigError(file, error);
  }
  const { parseDaemonConfig, describeZodError } = await loadSchema();
  const parsed = parseDaemonConfig(parseConfigJson(file, text));
  if (!parsed.success) {
    throw new OwlError('OWL_CONFIG_INVALID', `${file}: ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}
