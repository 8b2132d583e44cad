import type { Readable } from 'node:stream';
import type { ReadyMessage } from '@owl/daemon/lock';

/**
 * The ready line owld writes on its inherited pipe once it listens; null when the pipe ends
 * without it (owld exited during start-up, or the platform did not pass the fd on) or nothing
 * came within `timeoutMs`. The pipe is destroyed either way, so this CLI can exit.
 */
export function awaitReadyLine(pipe: Readable, timeoutMs: number): Promise<ReadyMessage | null> {
  return new Promise((resolve) => {
    let text = '';
    const finish = (message: ReadyMessage | null): void => {
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

/** `{"pid":123,"version":"0.1.0"}`; null for anything else. */
export function parseReadyLine(line: string): ReadyMessage | null {
  try {
    const value = JSON.parse(line) as Partial<ReadyMessage>;
    return Number.isInteger(value.pid) && typeof value.version === 'string' ? { pid: value.pid as number, version: value.version } : null;
  } catch {
    return null;
  }
}
