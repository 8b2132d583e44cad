/** "AB:CD:..." or "abcd..." -> "abcd...": fingerprints compare by their hex digits only. */
export function normalizeFingerprint(value: string): string {
  return value.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

export function isSha256Fingerprint(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(normalizeFingerprint(value));
}
