import { readFile } from 'node:fs/promises';
import { OwlError, parseConfigJson, unreadableConfigError } from '@owl/rpc';
import { describeZodError } from '@owl/rpc/server';
import { parseDaemonConfig, type DaemonConfig } from './daemon-config.ts';

/** Reads and validates config.json once at start; a missing file means every default. */
export async function loadDaemonConfig(file: string): Promise<DaemonConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Object.freeze({ tcp: null, webhooks: [], cluster: null });
    throw unreadableConfigError(file, error);
  }
  const parsed = parseDaemonConfig(parseConfigJson(file, text));
  if (!parsed.success) {
    throw new OwlError('OWL_CONFIG_INVALID', `${file}: ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}
