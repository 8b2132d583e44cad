import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { OwlEvent } from '@owl/rpc/contract';
import { WebhookConfigSchema } from '../../src/config/webhooks-config.ts';
import { EventBus } from '../../src/events/event-bus.ts';
import { openDaemonLog } from '../../src/daemon-log/daemon-log.ts';
import { fullJitterDelay } from '../../src/webhooks/backoff-delay.ts';
import { startWebhooks } from '../../src/webhooks/start-webhooks.ts';
import { wantsEvent } from '../../src/webhooks/wants-event.ts';
import { waitFor } from '@owl/test-support/wait-for';
import { startReceiver } from '@owl/test-support/webhook-receiver';

const event = (type: string, data: Record<string, unknown> = {}): OwlEvent => ({ seq: 1, at: '2030-01-01T00:00:00.000Z', type, data });

describe('webhook routing', () => {
  it('matches event types, "*" for all, never webhook events about the endpoint itself', () => {
    expect(wantsEvent(['exit'], event('exit'), 0)).toBe(true);
    expect(wantsEvent(['exit'], event('restart'), 0)).toBe(false);
    expect(wantsEvent(['*'], event('budget_spent'), 0)).toBe(true);
    expect(wantsEvent(['*'], event('webhook_dead', { webhook: 1 }), 0)).toBe(false);
    expect(wantsEvent(['webhook_dead'], event('webhook_dead', { webhook: 1 }), 0)).toBe(true);
    expect(wantsEvent(['webhook_dead'], event('webhook_dead', { webhook: 0 }), 0)).toBe(false);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => fullJitterDelay(attempt, 100, 1_000, () => 0.5))).toEqual([50, 100, 200, 400, 500]);
    expect(fullJitterDelay(3, 100, 1_000, () => 0)).toBe(0);
  });

  it('a hanging endpoint does not hold up another one', async () => {
    const hanging = await startReceiver(() => 'hang');
    const healthy = await startReceiver();
    const directory = mkdtempSync(path.join(tmpdir(), 'owl-webhooks-'));
    const log = openDaemonLog(path.join(directory, 'daemon.log'));
    const events = new EventBus();
    const configs = [hanging.url, healthy.url].map((url) => WebhookConfigSchema.parse({ url, secret: 'test-secret-0123456789', events: ['exit'], timeout: 60_000 }));
    const webhooks = startWebhooks(configs, events, log);
    onTestFinished(async () => {
      webhooks.close();
      await log.close();
      rmSync(directory, { recursive: true, force: true });
    });
    events.emit({ type: 'restart', app: 'web' });
    events.emit({ type: 'exit', app: 'web', data: { code: 1 } });
    events.emit({ type: 'exit', app: 'web', data: { code: 2 } });
    await waitFor(() => healthy.requests.length === 2);
    expect(healthy.requests.map((request) => request.headers['x-owl-event'])).toEqual(['exit', 'exit']);
    expect(hanging.requests).toHaveLength(1);
    expect(webhooks.endpoints[0]?.pending).toBe(1);
  });
});
