import { nodeCrypto } from '@owl/rpc';

export const SIGNATURE_HEADER = 'X-Owl-Signature';
export const EVENT_HEADER = 'X-Owl-Event';
export const DELIVERY_HEADER = 'X-Owl-Delivery';

/**
 * The value of X-Owl-Signature: `sha256=` and the hex HMAC-SHA256 of the raw body. Receivers
 * recompute it over the bytes they received and compare in constant time.
 *
 * @example
 * signBody('s3cret-s3cret-s3cret', '{"a":1}') // 'sha256=6c0f...'
 */
export function signBody(secret: string, body: string): string {
  return `sha256=${nodeCrypto().createHmac('sha256', secret).update(body).digest('hex')}`;
}
