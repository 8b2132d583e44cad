import type { WebhookConfig } from '../config/webhooks-config.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { DaemonLog } from '../daemon-log/daemon-log.ts';
import { OWL_VERSION } from '../version.ts';
import { WebhookEndpoint } from './webhook-endpoint.ts';
import { wantsEvent } from './wants-event.ts';

export interface RunningWebhooks {
  readonly endpoints: readonly WebhookEndpoint[];
  /** Stops delivery at once (in-flight attempts are aborted); undelivered events are logged. */
  close(): void;
}

/**
 * Sends the chosen events of the bus to each configured endpoint. The bus listener only
 * enqueues: delivery, retries and timeouts run on their own and never delay supervision.
 */
export function startWebhooks(configs: readonly WebhookConfig[], events: EventBus, log: DaemonLog): RunningWebhooks {
  const endpoints = configs.map(
    (config, index) => new WebhookEndpoint({ index, config, emit: (event) => events.emit(event), userAgent: `owl/${OWL_VERSION}` }),
  );
  const stopListening =
    endpoints.length === 0
      ? () => undefined
      : events.listen((event) => {
          endpoints.forEach((endpoint, index) => {
            if (wantsEvent(configs[index]?.events ?? [], event, index)) endpoint.enqueue(event);
          });
        });
  if (endpoints.length > 0) log.info(`webhooks: ${endpoints.map((endpoint) => endpoint.url).join(', ')}`);
  return {
    endpoints,
    close: () => {
      stopListening();
      for (const endpoint of endpoints) {
        const undelivered = endpoint.close();
        if (undelivered > 0) log.warn(`webhook ${endpoint.url}: ${undelivered} events not delivered at shutdown`);
      }
    },
  };
}
