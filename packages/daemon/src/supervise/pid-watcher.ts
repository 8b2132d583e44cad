import { isPidRunning } from '../process/is-alive.ts';
import { readProcessStartTime } from '../process/start-time.ts';

interface Watched {
  startTime: string | null;
  onGone(): void;
}

/**
 * Watches processes the daemon did not spawn itself (adopted after a restart): they send no
 * exit event, so one shared, unref'd poll checks them all. Ticks never overlap.
 */
export class PidWatcher {
  readonly #watched = new Map<number, Watched>();
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;

  constructor(intervalMs: number = 500) {
    this.#intervalMs = intervalMs;
  }

  watch(pid: number, startTime: string | null, onGone: () => void): void {
    this.#watched.set(pid, { startTime, onGone });
    this.#timer ??= setInterval(() => void this.#tick(), this.#intervalMs).unref();
  }

  unwatch(pid: number): void {
    this.#watched.delete(pid);
    if (this.#watched.size === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      for (const [pid, watched] of [...this.#watched]) {
        const alive = (await isPidRunning(pid)) && (watched.startTime === null || (await readProcessStartTime(pid)) === watched.startTime);
        if (!alive && this.#watched.get(pid) === watched) {
          this.unwatch(pid);
          watched.onGone();
        }
      }
    } finally {
      this.#ticking = false;
    }
  }
}
