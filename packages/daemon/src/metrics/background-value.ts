/**
 * A value refreshed by a slow call (a `df`, an nvidia-smi, a PowerShell query) that must never
 * hold up the tick: `refresh()` starts the call unless one is already running, and the tick
 * reads whatever value arrived last. A failed refresh keeps the previous value.
 */
export class BackgroundValue<T> {
  readonly #load: () => Promise<T>;
  readonly #onError: (error: unknown) => void;
  #value: T | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(load: () => Promise<T>, onError: (error: unknown) => void = () => undefined) {
    this.#load = load;
    this.#onError = onError;
  }

  get value(): T | undefined {
    return this.#value;
  }

  /** Starts a refresh (or joins the running one); the promise never rejects. */
  refresh(): Promise<void> {
    this.#inFlight ??= this.#load().then(
      (value) => {
        this.#value = value;
        this.#inFlight = undefined;
      },
      (error: unknown) => {
        this.#inFlight = undefined;
        this.#onError(error);
      },
    );
    return this.#inFlight;
  }

  /** Waits for the running refresh, but no longer than `limitMs`. */
  async settled(limitMs: number): Promise<void> {
    if (!this.#inFlight) return;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs).unref()));
    await Promise.race([this.#inFlight, limit]);
    clearTimeout(timer);
  }
}
