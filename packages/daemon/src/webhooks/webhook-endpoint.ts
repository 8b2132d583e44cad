import { nodeCrypto } from '@owl/rpc';
import { hostname } from 'node:os';
import { setTimeout as wait } from 'node:timers/promises';
import type { OwlEvent } from '@owl/rpc/contract';
import type { WebhookConfig } from '../config/webhooks-config.ts';
import type { EventInput } from '../events/event-bus.ts';
import { fullJitterDelay } from './backoff-delay.ts';
import { postWebhook, type PostOutcome, type PostRequest } from './post-webhook.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signBody } from './sign-body.ts';

export interface WebhookEndpointDeps {
  /** Position in config.json's webhooks array: names the endpoint in events. */
  index: number;
  config: WebhookConfig;
  emit(event: EventInput): void;
  userAgent: string;
  post?: (request: PostRequest) => Promise<PostOutcome>;
  random?: () => number;
}

interface Delivery {
  id: string;
  event: OwlEvent;
}

/** The URL as events and logs show it: no credentials, no query string (either may hold a secret). */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/**
 * One endpoint: a bounded queue and a single delivery loop. Events go out in order; each is
 * retried with full-jitter backoff up to maxAttempts, then recorded as `webhook_dead`. A slow
 * or dead endpoint only ever holds up its own queue.
 */
export class WebhookEndpoint {
  readonly url: string;
  readonly #deps: WebhookEndpointDeps;
  readonly #stop = new AbortController();
  #queue: Delivery[] = [];
  #running = false;
  #dropped = 0;

  constructor(deps: WebhookEndpointDeps) {
    this.#deps = deps;
    this.url = redactUrl(deps.config.url);
  }

  /** Waiting events, the one in flight excluded. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Never waits: supervision calls this from inside an event emit. */
  enqueue(event: OwlEvent): void {
    if (this.#stop.signal.aborted) return;
    if (this.#queue.length >= this.#deps.config.maxQueue) {
      this.#queue.shift();
      if (this.#dropped++ === 0) setImmediate(() => this.#reportDropped());
    }
    this.#queue.push({ id: nodeCrypto().randomUUID(), event });
    if (!this.#running) void this.#run();
  }

  /** Aborts the attempt in flight and any backoff wait; returns how many events go undelivered. */
  close(): number {
    this.#stop.abort();
    const undelivered = this.#queue.length;
    this.#queue = [];
    return undelivered;
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      for (let next = this.#queue.shift(); next && !this.#stop.signal.aborted; next = this.#queue.shift()) {
        await this.#deliver(next);
      }
    } finally {
      this.#running = false;
    }
  }

  async #deliver(delivery: Delivery): Promise<void> {
    const { config } = this.#deps;
    const body = JSON.stringify({ delivery: delivery.id, host: hostname(), event: delivery.event });
    const headers = {
      'content-type': 'application/json',
      'user-agent': this.#deps.userAgent,
      [SIGNATURE_HEADER]: signBody(config.secret, body),
      [EVENT_HEADER]: delivery.event.type,
      [DELIVERY_HEADER]: delivery.id,
    };
    const post = this.#deps.post ?? postWebhook;
    let lastError = '';
    for (let attempt = 1; attempt <= config.maxAttempts; attempt += 1) {
      const outcome = await post({ url: config.url, body, headers, timeoutMs: config.timeout, signal: this.#stop.signal });
      if (outcome.ok || this.#stop.signal.aborted) return;
      lastError = outcome.error;
      if (attempt < config.maxAttempts && !(await this.#backOff(attempt))) return;
    }
    this.#deps.emit({
      type: 'webhook_dead',
      data: {
        webhook: this.#deps.index,
        url: this.url,
        delivery: delivery.id,
        event: delivery.event.type,
        eventSeq: delivery.event.seq,
        attempts: config.maxAttempts,
        error: lastError,
      },
    });
  }

  /** False when the endpoint was closed during the wait. */
  async #backOff(attempt: number): Promise<boolean> {
    const { initial, max } = this.#deps.config.backoff;
    const delayMs = fullJitterDelay(attempt, initial, max, this.#deps.random);
    try {
      // Unref'd: a pending retry never keeps the daemon alive.
      await wait(delayMs, undefined, { signal: this.#stop.signal, ref: false });
      return true;
    } catch {
      return false;
    }
  }

  #reportDropped(): void {
    const dropped = this.#dropped;
    this.#dropped = 0;
    if (dropped === 0 || this.#stop.signal.aborted) return;
    this.#deps.emit({
      type: 'webhook_dropped',
      data: { webhook: this.#deps.index, url: this.url, dropped, reason: `queue full (maxQueue ${this.#deps.config.maxQueue}): oldest events dropped` },
    });
  }
}
