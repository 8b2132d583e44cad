import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { ensurePrivateDirectory, PRIVATE_FILE_MODE, restrictOpenFile } from '../home/private-files.ts';
import path from 'node:path';

export type LogLevel = 'info' | 'warn' | 'error';

export interface DaemonLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  close(): Promise<void>;
}

/** The daemon's own log: one line per entry, `<iso time> <level> <message>`. */
export function openDaemonLog(file: string, echo: boolean = false): DaemonLog {
  ensurePrivateDirectory(path.dirname(file));
  const descriptor = openSync(file, 'a', PRIVATE_FILE_MODE);
  restrictOpenFile(descriptor);
  const stream: WriteStream = createWriteStream(file, { fd: descriptor, flags: 'a' });
  stream.on('error', () => undefined);
  const write = (level: LogLevel, message: string): void => {
    const line = `${new Date().toISOString()} ${level} ${message}\n`;
    stream.write(line);
    if (echo) process.stderr.write(line);
  };
  return {
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
    close: () => new Promise((resolve) => stream.end(() => resolve())),
  };
}
