import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../state/atomic-write.ts';

export type HandledStatus = 'running' | 'ok' | 'failed' | 'expired' | 'interrupted' | 'forged';

interface HandledEntry {
  status: HandledStatus;
  /** Kept until the command could no longer run anyway. */
  keepUntil: number;
}

const FORGET_AFTER_MS = 60 * 60 * 1000;

/**
 * Fleet command ids this node has handled, in `<home>/cluster-commands.json`. Each id is on
 * disk (fsync, rename) before the command runs and before its result is reported, so a
 * daemon that crashes and restarts never runs a command twice.
 */
export class HandledCommands {
  readonly #file: string;
  #entries: Record<string, HandledEntry> = {};
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string) {
    this.#file = file;
  }

  static async open(file: string): Promise<HandledCommands> {
    const handled = new HandledCommands(file);
    const text = await readFile(file, 'utf8').catch(() => '');
    try {
      const parsed = JSON.parse(text) as { handled?: Record<string, HandledEntry> };
      if (parsed.handled && typeof parsed.handled === 'object') handled.#entries = parsed.handled;
    } catch {
      // Missing or torn: the atomic write means only a hand-edited file gets here.
    }
    return handled;
  }

  ids(): ReadonlySet<string> {
    return new Set(Object.keys(this.#entries));
  }

  statusOf(id: string): HandledStatus | undefined {
    return this.#entries[id]?.status;
  }

  /** Records the id durably; resolves once it is on disk. */
  record(id: string, status: HandledStatus, expiresAt: number): Promise<void> {
    const now = Date.now();
    for (const [known, entry] of Object.entries(this.#entries)) if (entry.keepUntil < now) delete this.#entries[known];
    this.#entries[id] = { status, keepUntil: Math.max(expiresAt, now) + FORGET_AFTER_MS };
    const text = `${JSON.stringify({ handled: this.#entries })}\n`;
    const written = this.#writing.then(() => writeFileAtomic(this.#file, text));
    this.#writing = written.catch(() => undefined);
    return written;
  }
}
