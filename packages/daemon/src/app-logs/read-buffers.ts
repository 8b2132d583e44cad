/**
 * Large read buffers, lent out and taken back, so that reading a busy log (a tail far behind
 * a flood, a rotation's copies) does not allocate a fresh 1 MiB buffer per read. Fresh ones
 * were freed only when the GC got to them: tens of them could be waiting at once, all from
 * glibc's heap (freeing one mmap'd buffer raises the mmap threshold above its size), and
 * the heap kept the freed space: the soak's RSS grew with no live memory behind it.
 *
 * At most `keep` idle buffers are held, and none once no buffer was taken back for `idleMs`
 * (an idle daemon holds no read buffer). A buffer must not be used after it is given back.
 */
export class ReadBufferPool {
  readonly size: number;
  readonly #keep: number;
  readonly #idleMs: number;
  #idle: Buffer[] = [];
  #releasedAt = 0;
  #trimTimer: NodeJS.Timeout | undefined;

  constructor(size: number, options: { keep?: number; idleMs?: number } = {}) {
    this.size = size;
    this.#keep = options.keep ?? 2;
    this.#idleMs = options.idleMs ?? 30_000;
  }

  /** Idle buffers held now. */
  get idleCount(): number {
    return this.#idle.length;
  }

  /** A buffer of `size` bytes (old contents; write before reading), the caller's until release(). */
  acquire(): Buffer {
    return this.#idle.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  release(buffer: Buffer): void {
    if (buffer.length !== this.size || this.#idle.includes(buffer)) return;
    if (this.#idle.length < this.#keep) this.#idle.push(buffer);
    this.#releasedAt = Date.now();
    this.#trimTimer ??= this.#scheduleTrim(this.#idleMs);
  }

  #scheduleTrim(delayMs: number): NodeJS.Timeout {
    return setTimeout(() => {
      this.#trimTimer = undefined;
      const idleFor = Date.now() - this.#releasedAt;
      if (idleFor >= this.#idleMs) this.#idle = [];
      else this.#trimTimer = this.#scheduleTrim(this.#idleMs - idleFor);
    }, delayMs).unref();
  }
}
