import * as z from 'zod';
import { durationWithin } from '@owl/rpc/contract';

const EVENT_FILTER_PATTERN = /^(\*|[a-z][a-z0-9_]{0,63})$/;

/**
 * One entry of `webhooks` in `<OWL_HOME>/config.json`: where to POST, which event types
 * ("*" for all), the HMAC secret, and how hard to try. Durations take "500ms", "2s" or ms.
 */
export const WebhookConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
  events: z
    .array(z.string().regex(EVENT_FILTER_PATTERN, 'expected an event type such as "exit" or "budget_spent", or "*" for all'))
    .min(1, 'expected at least one event type, or ["*"] for all')
    .max(100)
    .default(['*']),
  /** Signs every body: X-Owl-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>. */
  secret: z.string().min(16, 'expected a secret of at least 16 characters'),
  /** Attempts per event, the first included, before it is recorded as `webhook_dead`. */
  maxAttempts: z.number().int().min(1).max(100).default(8),
  /** Full-jitter exponential backoff: attempt n waits random(0, min(max, initial * 2^(n-1))). */
  backoff: z
    .strictObject({ initial: durationWithin({ min: 10 }).default(1_000), max: durationWithin({ min: 10 }).default(5 * 60_000) })
    .prefault({}),
  /** Each attempt is aborted after this long: a hanging endpoint costs one timeout, nothing more. */
  // A shorter timeout would fail every attempt at once, before any endpoint could answer.
  timeout: durationWithin({ min: 100 }).default(5_000),
  /** Events waiting for this endpoint; when full the oldest is dropped (a `webhook_dropped` event). */
  maxQueue: z.number().int().min(1).max(100_000).default(1_000),
});

export const WebhooksConfigSchema = z.array(WebhookConfigSchema).max(32).default([]);

export type WebhookConfig = Readonly<z.output<typeof WebhookConfigSchema>>;
