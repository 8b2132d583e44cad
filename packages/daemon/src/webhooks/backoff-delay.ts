/**
 * "Full jitter" exponential backoff: the wait after failed attempt n is uniform in
 * [0, min(max, initial * 2^(n-1))], so endpoints that fail together do not retry together.
 */
export function fullJitterDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
