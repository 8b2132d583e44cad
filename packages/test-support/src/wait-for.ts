import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

export interface WaitForOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between probes (default 25 ms). */
  intervalMs?: number;
  /** The error message on timeout. */
  message?: string;
}

/**
 * Polls a probe until it returns a truthy value and resolves with that value; rejects with
 * `message` when timeoutMs passes first. Tests wait for conditions with this, never sleep.
 *
 * @example
 * const ready = await waitFor(async () => (await readMarkers(marker)).find((m) => m.event === 'ready'));
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) {
      throw new Error(options.message ?? `condition not met within ${timeoutMs} ms`);
    }
    await delay(intervalMs);
  }
}

/** One line a fixture appended to its OWL_FIXTURE_MARKER file. */
export interface FixtureMarker {
  event: string;
  pid: number;
  [key: string]: unknown;
}

/**
 * Parses a fixture marker file (JSON lines); [] when it does not exist yet. A last line
 * without its newline is still being written and is left out.
 */
export async function readMarkers(file: string): Promise<FixtureMarker[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FixtureMarker);
}

/**
 * Waits for the first marker with this event (and matching the optional predicate).
 *
 * @example
 * const { port } = await waitForMarker(marker, 'ready');
 */
export async function waitForMarker(
  file: string,
  event: string,
  options: WaitForOptions & { where?: (marker: FixtureMarker) => boolean } = {},
): Promise<FixtureMarker> {
  const where = options.where ?? (() => true);
  return waitFor(async () => (await readMarkers(file)).find((marker) => marker.event === event && where(marker)), {
    message: `no "${event}" marker in ${file}`,
    ...options,
  });
}
