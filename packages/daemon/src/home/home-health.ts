/** One file owl writes in OWL_HOME whose writes are failing. */
export interface FailingWrite {
  file: string;
  error: string;
  since: string;
}

/**
 * Which of the daemon's writers (state, audit, daemon log) cannot write OWL_HOME right now, so
 * `owl daemon status` can say so while supervision goes on.
 */
export class HomeHealth {
  readonly #failing = new Map<string, FailingWrite>();

  /** A write of `file` failed; the first failure's time is kept. */
  failed(file: string, error: unknown): void {
    const errno = error as NodeJS.ErrnoException;
    const detail = errno?.code ? `${errno.code} (${errno.message})` : String(error);
    const since = this.#failing.get(file)?.since ?? new Date().toISOString();
    this.#failing.set(file, { file, error: detail, since });
  }

  /** A write of `file` landed again. */
  recovered(file: string): void {
    this.#failing.delete(file);
  }

  isFailing(file: string): boolean {
    return this.#failing.has(file);
  }

  failing(): FailingWrite[] {
    return [...this.#failing.values()];
  }
}
