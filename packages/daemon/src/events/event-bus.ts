import type { OwlEvent } from '@owl/rpc/contract';

export type EventInput = Omit<OwlEvent, 'seq' | 'at' | 'data'> & { data?: Record<string, unknown> };
export type EventListener = (event: OwlEvent) => void;

/** Recent events in a bounded ring, plus live listeners (subscriptions, audit, webhooks). */
export class EventBus {
  readonly #capacity: number;
  readonly #recent: OwlEvent[] = [];
  readonly #listeners = new Set<EventListener>();
  #seq = 0;

  constructor(capacity: number = 1_000) {
    this.#capacity = capacity;
  }

  emit(input: EventInput): OwlEvent {
    this.#seq += 1;
    const event: OwlEvent = { seq: this.#seq, at: new Date().toISOString(), ...input, data: input.data ?? {} };
    this.#recent.push(event);
    if (this.#recent.length > this.#capacity) this.#recent.shift();
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // One failing listener must not stop supervision or the others.
      }
    }
    return event;
  }

  recent(limit: number, app?: string): OwlEvent[] {
    const matching = app ? this.#recent.filter((event) => event.app === app) : this.#recent;
    return matching.slice(-limit);
  }

  /** Returns the function that removes the listener. */
  listen(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
