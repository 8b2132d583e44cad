import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { OwlEvent } from '@owl/rpc/contract';
import { WebhookConfigSchema } from '../../src/config/webhooks-config.ts';
import type { EventInput } from '../../src/events/event-bus.ts';
import { WebhookEndpoint } from '../../src/webhooks/webhook-endpoint.ts';
import { postWebhook } from '../../src/webhooks/post-webhook.ts';
import type { PostRequest } from '../../src/webhooks/post-webhook.ts';
import { waitFor } from '@owl/test-support/wait-for';
import { freePort, startReceiver } from '@owl/test-support/webhook-receiver';

const SECRET = 'test-secret-0123456789';

const exitEvent = (seq: number = 7): OwlEvent => ({
  seq,
  at: '2030-01-01T00:00:00.000Z',
  type: 'exit',
  app: 'web',
  instance: 0,
  data: { code: 1, signal: null, stderr: ['boom'] },
});

function endpointFor(url: string, overrides: Record<string, unknown> = {}, post?: (request: PostRequest) => ReturnType<typeof postWebhook>) {
  const emitted: EventInput[] = [];
  const config = WebhookConfigSchema.parse({ url, secret: SECRET, backoff: { initial: 10, max: 50 }, ...overrides });
  const endpoint = new WebhookEndpoint({ index: 0, config, emit: (event) => emitted.push(event), userAgent: 'owl/test', ...(post ? { post } : {}) });
  onTestFinished(() => void endpoint.close());
  return { endpoint, emitted };
}

describe('webhook endpoint', () => {
  it('POSTs the event with an HMAC-SHA256 signature of the raw body', async () => {
    const receiver = await startReceiver();
    const { endpoint } = endpointFor(receiver.url);
    endpoint.enqueue(exitEvent());
    const [request] = await waitFor(() => (receiver.requests.length === 1 ? receiver.requests : undefined));
    const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(request?.body ?? '').digest('hex')}`);
    const received = Buffer.from(String(request?.headers['x-owl-signature']));
    expect(received.length === expected.length && timingSafeEqual(received, expected)).toBe(true);
    const body = JSON.parse(request?.body ?? '') as { delivery: string; event: OwlEvent };
    expect(body.event).toEqual(exitEvent());
    expect(request?.headers['x-owl-event']).toBe('exit');
    expect(request?.headers['x-owl-delivery']).toBe(body.delivery);
    expect(request?.headers['content-type']).toBe('application/json');
  });

  it('retries a refusing receiver (500, 500) and delivers on the third attempt with the same delivery id', async () => {
    const receiver = await startReceiver((count) => (count <= 2 ? 500 : 200));
    const { endpoint, emitted } = endpointFor(receiver.url);
    endpoint.enqueue(exitEvent(1));
    endpoint.enqueue(exitEvent(2));
    await waitFor(() => receiver.requests.length === 4, { message: `requests: ${receiver.requests.length}` });
    const deliveries = receiver.requests.map((request) => request.headers['x-owl-delivery']);
    expect(new Set(deliveries.slice(0, 3)).size).toBe(1);
    expect(deliveries[3]).not.toBe(deliveries[0]);
    expect(receiver.requests.map((request) => (JSON.parse(request.body) as { event: OwlEvent }).event.seq)).toEqual([1, 1, 1, 2]);
    expect(emitted).toEqual([]);
  });

  it('delivers once a receiver that was down comes up', async () => {
    const port = await freePort();
    let attempts = 0;
    const counting = (request: PostRequest): ReturnType<typeof postWebhook> => {
      attempts += 1;
      return postWebhook(request);
    };
    const { endpoint, emitted } = endpointFor(`http://127.0.0.1:${port}/hook`, { maxAttempts: 100 }, counting);
    endpoint.enqueue(exitEvent());
    await waitFor(() => attempts >= 2);
    const receiver = await startReceiver(() => 200, port);
    await waitFor(() => receiver.requests.length === 1);
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(emitted).toEqual([]);
  });

  it('records a dead delivery after maxAttempts', async () => {
    const receiver = await startReceiver(() => 500);
    const { endpoint, emitted } = endpointFor(receiver.url, { maxAttempts: 3 });
    endpoint.enqueue(exitEvent(9));
    const [dead] = await waitFor(() => (emitted.length > 0 ? emitted : undefined));
    const delivery = receiver.requests[0]?.headers['x-owl-delivery'];
    expect(receiver.requests).toHaveLength(3);
    expect(dead).toEqual({
      type: 'webhook_dead',
      data: { webhook: 0, url: receiver.url, delivery, event: 'exit', eventSeq: 9, attempts: 3, error: 'HTTP 500' },
    });
  });

  it('gives up on an endpoint that never answers after the per-attempt timeout', async () => {
    const receiver = await startReceiver(() => 'hang');
    const { endpoint, emitted } = endpointFor(receiver.url, { maxAttempts: 2, timeout: 100 });
    endpoint.enqueue(exitEvent());
    const [dead] = await waitFor(() => (emitted.length > 0 ? emitted : undefined));
    expect(dead?.data).toMatchObject({ attempts: 2, error: 'no answer within 100 ms' });
    expect(receiver.requests).toHaveLength(2);
  });

  it('drops the oldest waiting event when its queue is full, and says so', async () => {
    const receiver = await startReceiver(() => 'hang');
    const { endpoint, emitted } = endpointFor(receiver.url, { maxQueue: 1, timeout: 60_000 });
    // The first goes in flight and hangs; the second waits; the third pushes the second out.
    [1, 2, 3].forEach((seq) => endpoint.enqueue(exitEvent(seq)));
    const [dropped] = await waitFor(() => (emitted.length > 0 ? emitted : undefined));
    expect(dropped).toEqual({
      type: 'webhook_dropped',
      data: { webhook: 0, url: receiver.url, dropped: 1, reason: 'queue full (maxQueue 1): oldest events dropped' },
    });
    expect(endpoint.pending).toBe(1);
    expect(endpoint.close()).toBe(1);
  });
});
