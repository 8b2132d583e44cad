import type { Readable } from 'node:stream';
import type { PlaneInfo, ReadyMessage, StartFailure } from '@owl/daemon/lock';

export type ReadyLine = ReadyMessage | StartFailure;

/**
 * The line owld writes on its inherited pipe once it listens (or, failing to start, why); null
 * when the pipe ends without one (owld died without a word, or the platform did not pass the
 * fd on) or nothing came within `timeoutMs`. The pipe is destroyed either way, so this CLI can exit.
 */
export function awaitReadyLine(pipe: Readable, timeoutMs: number): Promise<ReadyLine | null> {
  return new Promise((resolve) => {
    let text = '';
    const finish = (message: ReadyLine | null): void => {
      clearTimeout(timer);
      pipe.removeAllListeners('data');
      pipe.destroy();
      resolve(message);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline >= 0) finish(parseReadyLine(text.slice(0, newline)));
    });
    pipe.once('end', () => finish(null));
    pipe.once('error', () => finish(null));
  });
}

function isPlaneInfo(value: unknown): value is PlaneInfo {
  const plane = value as Partial<PlaneInfo> | null;
  return typeof plane === 'object' && plane !== null && (plane.kind === 'local' || plane.kind === 'tcp') && typeof plane.address === 'string';
}

/**
 * `{"pid":123,"version":"0.1.0","planes":[{"kind":"local","address":"..."}]}`, or
 * `{"error":{"code":"OWL_CONFIG_INVALID","message":"..."}}`; null for anything else.
 */
export function parseReadyLine(line: string): ReadyLine | null {
  try {
    const value = JSON.parse(line) as Partial<ReadyMessage & StartFailure>;
    if (typeof value.error?.code === 'string' && typeof value.error.message === 'string') return { error: value.error };
    if (!Number.isInteger(value.pid) || typeof value.version !== 'string') return null;
    if (!Array.isArray(value.planes) || !value.planes.every(isPlaneInfo)) return null;
    return { pid: value.pid as number, version: value.version, planes: value.planes };
  } catch {
    return null;
  }
}
