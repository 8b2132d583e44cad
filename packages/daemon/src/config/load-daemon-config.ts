import { readFile } from 'node:fs/promises';
import { OwlError } from '@owl/rpc';
import { describeZodError } from '@owl/rpc/server';
import { parseDaemonConfig, type DaemonConfig } from './daemon-config.ts';

/** Reads and validates config.json once at start; a missing file means every default. */
export async function loadDaemonConfig(file: string): Promise<DaemonConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Object.freeze({ tcp: null, webhooks: [] });
    throw new OwlError('OWL_CONFIG_INVALID', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new OwlError('OWL_CONFIG_INVALID', `${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = parseDaemonConfig(value);
  if (!parsed.success) {
    throw new OwlError('OWL_CONFIG_INVALID', `${file}: ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}
