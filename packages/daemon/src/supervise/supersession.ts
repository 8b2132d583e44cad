/**
 * Who owns an instance right now. Every operator action (and every restart decision) takes a
 * new turn; an async continuation of an older turn (a slow spawn, a stop's wait) sees it is
 * stale and gives up. The launch in flight is tracked, so a new owner can wait until it has
 * finished or stopped what it spawned.
 */
export class Supersession {
  #turn = 0;
  #inflight: Promise<void> | undefined;

  get current(): number {
    return this.#turn;
  }

  isStale(turn: number): boolean {
    return turn !== this.#turn;
  }

  /** Starts a new turn without waiting: continuations of older turns give up. */
  next(): number {
    this.#turn += 1;
    return this.#turn;
  }

  /** Resolves once no launch is in flight (a superseded one has stopped its child by then). */
  async settled(): Promise<void> {
    await this.#inflight;
  }

  /** Tracks a launch until it settles. */
  track(launch: Promise<void>): Promise<void> {
    const tracked = launch.finally(() => {
      if (this.#inflight === tracked) this.#inflight = undefined;
    });
    this.#inflight = tracked;
    return tracked;
  }
}
