/** Header names in lower case; a repeated header's values joined by ", ". */
export type HeaderMap = Map<string, string>;

/** Parses the header lines of an HTTP/1.1 head; null when one is not a header. */
export function parseHeaderLines(lines: readonly string[]): HeaderMap | null {
  const headers: HeaderMap = new Map();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return headers;
}

/** Whether a comma-separated header (Connection, Upgrade) lists `token`, in any case. */
export function headerHasToken(value: string | undefined, token: string): boolean {
  return (value ?? '')
    .toLowerCase()
    .split(',')
    .some((item) => item.trim() === token);
}
