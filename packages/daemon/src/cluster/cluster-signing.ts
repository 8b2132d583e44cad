import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.ts';

/** An entry as it travels through Redis: the payload and its HMAC over the canonical JSON. */
export interface SignedEnvelope {
  readonly body: string;
  readonly sig: string;
}

export function signPayload(key: Uint8Array, payload: unknown): SignedEnvelope {
  const body = canonicalJson(payload);
  return { body, sig: createHmac('sha256', key).update(body).digest('base64url') };
}

/**
 * The payload when `sig` is the HMAC of `body` under the cluster key; undefined for anything
 * else (missing fields, bad JSON, wrong key). Redis is transport, not trust.
 */
export function verifyEnvelope(key: Uint8Array, body: unknown, sig: unknown): unknown {
  if (typeof body !== 'string' || typeof sig !== 'string') return undefined;
  const expected = createHmac('sha256', key).update(body).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** Stream entries come back as a flat [field, value, ...] list. */
export function fieldsOf(flat: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let index = 0; index + 1 < flat.length; index += 2) fields[flat[index] as string] = flat[index + 1] as string;
  return fields;
}

/** A stored `{body, sig}` JSON text, verified; undefined when it is not valid or not signed with the key. */
export function openStoredEnvelope(key: Uint8Array, text: string): unknown {
  try {
    const envelope = JSON.parse(text) as { body?: unknown; sig?: unknown };
    return verifyEnvelope(key, envelope.body, envelope.sig);
  } catch {
    return undefined;
  }
}
