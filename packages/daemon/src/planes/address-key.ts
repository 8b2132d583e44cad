/** A socket's address, with IPv4-mapped IPv6 ("::ffff:1.2.3.4") folded to plain IPv4. */
export function plainAddress(address: string | undefined): string {
  const value = address ?? 'unknown';
  return value.startsWith('::ffff:') ? value.slice(7) : value;
}

export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}

/**
 * The key budgets and the auth-failure limiter count a caller under: its IPv4 address, or
 * the /64 prefix of an IPv6 one (one host usually holds a whole /64, and could otherwise
 * take a fresh address for every connection).
 */
export function addressKey(address: string): string {
  if (!address.includes(':') || address === '::1') return address;
  const [head = '', tail = ''] = address.split('::');
  const groups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const missing = Math.max(0, 8 - groups.length - tailGroups.length);
  const full = address.includes('::') ? [...groups, ...Array<string>(missing).fill('0'), ...tailGroups] : groups;
  return `${full.slice(0, 4).map((group) => group.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
