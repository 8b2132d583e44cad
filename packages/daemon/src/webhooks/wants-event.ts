import type { OwlEvent } from '@owl/rpc/contract';

/**
 * Whether an endpoint with this filter gets the event. Webhook events (webhook_dead,
 * webhook_dropped) must be named explicitly, and never go to the endpoint they are about:
 * otherwise a dead endpoint would keep feeding itself.
 */
export function wantsEvent(filter: readonly string[], event: OwlEvent, endpointIndex: number): boolean {
  if (event.type.startsWith('webhook_')) {
    return filter.includes(event.type) && event.data.webhook !== endpointIndex;
  }
  return filter.includes('*') || filter.includes(event.type);
}
