/**
 * Canonical JSON (the RFC 8785 ordering rules): object keys sorted by UTF-16 code units, no
 * whitespace, numbers as JavaScript prints them. The same value always gives the same text,
 * so a hash over it can be recomputed by any verifier, in any language.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return serialize(value) ?? 'null';
}

function serialize(input: unknown): string | undefined {
  const value = hasToJson(input) ? input.toJSON() : input;
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      return Array.isArray(value) ? serializeArray(value) : serializeObject(value as Record<string, unknown>);
  }
}

function serializeArray(items: unknown[]): string {
  return `[${items.map((item) => serialize(item) ?? 'null').join(',')}]`;
}

function serializeObject(object: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of Object.keys(object).sort()) {
    const text = serialize(object[key]);
    // Like JSON.stringify: keys whose value has no JSON form are left out.
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
