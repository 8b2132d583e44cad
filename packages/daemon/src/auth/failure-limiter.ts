export interface FailureLimiterOptions {
  /** Failures within `windowMs` that block the address. */
  maxFailures: number;
  windowMs: number;
  /** How long a blocked address is refused outright. */
  blockMs: number;
  /** Addresses remembered at once; the oldest are forgotten first, so a flood of sources cannot grow memory. */
  maxAddresses?: number;
}

interface AddressRecord {
  /** Times of recent failures, oldest first, at most maxFailures of them. */
  failures: number[];
  blockedUntil: number;
}

/**
 * Counts failed authentications per source address and blocks an address that fails too
 * often. A blocked address is refused before its token is even looked at, so guessing
 * cannot continue at full speed and each refusal costs almost nothing.
 */
export class FailureLimiter {
  readonly #options: Required<FailureLimiterOptions>;
  readonly #addresses = new Map<string, AddressRecord>();

  constructor(options: FailureLimiterOptions) {
    this.#options = { maxAddresses: 10_000, ...options };
  }

  /** Milliseconds the address stays blocked; 0 when it may try. */
  blockedFor(address: string, now: number = Date.now()): number {
    const record = this.#addresses.get(address);
    return record && record.blockedUntil > now ? record.blockedUntil - now : 0;
  }

  /** Records one failure; true when this failure got the address blocked. */
  recordFailure(address: string, now: number = Date.now()): boolean {
    const record = this.#addresses.get(address) ?? { failures: [], blockedUntil: 0 };
    // Re-inserting keeps the Map in least-recently-failed order for eviction.
    this.#addresses.delete(address);
    this.#addresses.set(address, record);
    record.failures = record.failures.filter((at) => now - at < this.#options.windowMs);
    record.failures.push(now);
    if (record.failures.length > this.#options.maxFailures) record.failures.shift();
    this.#evict();
    if (record.blockedUntil <= now && record.failures.length >= this.#options.maxFailures) {
      record.blockedUntil = now + this.#options.blockMs;
      record.failures = [];
      return true;
    }
    return false;
  }

  #evict(): void {
    while (this.#addresses.size > this.#options.maxAddresses) {
      const oldest = this.#addresses.keys().next().value;
      if (oldest === undefined) return;
      this.#addresses.delete(oldest);
    }
  }
}
