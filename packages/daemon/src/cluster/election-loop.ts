import { performance } from 'node:perf_hooks';
import type { EventBus } from '../events/event-bus.ts';
import type { DaemonLog } from '../daemon-log/daemon-log.ts';
import type { ClusterKeys } from './cluster-keys.ts';
import type { RedisLinks } from './redis-connection.ts';
import type { TermFloor } from './term-floor.ts';
import { ACQUIRE, FENCED_WRITE, RELEASE, RENEW, parseHolder } from './election-scripts.ts';
import { initialElection, isActingLeader, stepElection, type ElectionAction, type ElectionEvent, type ElectionState } from './election.ts';
import type { FencedOp } from './fenced-ops.ts';

export type FencedOutcome = 'applied' | 'fenced' | 'conflict' | 'not_leader';

export interface ElectionLoopOptions {
  nodeId: string;
  clusterName: string;
  keys: ClusterKeys;
  links: RedisLinks;
  floor: TermFloor;
  leaseMs: number;
  renewMs: number;
  events: EventBus;
  log: DaemonLog;
}

/** Runs the pure election (election.ts) against Redis: ticks, scripts, announcements, fenced writes. */
export class ElectionLoop {
  readonly #options: ElectionLoopOptions;
  #state: ElectionState;
  #timer: NodeJS.Timeout | undefined;
  #queue: Promise<void> = Promise.resolve();
  #stopped = false;
  #refusedWrites = 0;
  /** When the lease held by another runs out (ms from the last try): the next try aims there. */
  #leaseLeftMs: number | null = null;

  constructor(options: ElectionLoopOptions) {
    this.#options = options;
    this.#state = initialElection(options.floor.value);
  }

  start(): void {
    const { links, keys } = this.#options;
    links.subscriber.subscribe(keys.released).catch(() => undefined);
    // A graceful release: try at once (a little jitter so followers do not all collide).
    links.subscriber.on('message', (channel: string) => {
      if (channel === keys.released) this.#schedule(Math.floor(Math.random() * 30));
    });
    this.#schedule(0);
  }

  get state(): ElectionState {
    return this.#state;
  }

  get refusedWrites(): number {
    return this.#refusedWrites;
  }

  isLeader(): boolean {
    return isActingLeader(this.#state, { leaseMs: this.#options.leaseMs }, performance.now());
  }

  /** Releases the lease when this node leads; resolves once the release was tried. */
  stepDown(): Promise<{ wasLeader: boolean; term: number | null }> {
    const before = this.#state;
    return this.#enqueue({ type: 'step_down', now: performance.now() }).then(() => ({
      wasLeader: before.role === 'leader',
      term: before.role === 'leader' ? before.term : null,
    }));
  }

  async stop(): Promise<void> {
    await this.stepDown().catch(() => undefined);
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /**
   * A leader-only write: attempted only while this node acts as leader by the monotonic
   * clock, and applied by Redis only while the lease still holds this node's term.
   */
  async fencedWrite(name: string, keys: readonly string[], ops: readonly FencedOp[]): Promise<FencedOutcome> {
    const state = this.#state;
    if (state.role !== 'leader' || !this.isLeader()) return 'not_leader';
    const holder = `${this.#options.nodeId}:${state.term}`;
    const result = Number(await FENCED_WRITE.run(this.#options.links.main, [this.#options.keys.leader, this.#options.keys.writes, ...keys], [holder, name, JSON.stringify(ops)]));
    if (result === 0) {
      this.#refusedWrites += 1;
      this.#options.log.warn(`fenced write ${name} refused for term ${state.term}: the lease no longer holds this term (${this.#refusedWrites} refused so far)`);
      return 'fenced';
    }
    return result === 1 ? 'applied' : 'conflict';
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      void this.#enqueue({ type: 'tick', now: performance.now() }).finally(() => this.#schedule(this.#nextDelay()));
    }, delayMs);
    this.#timer.unref();
  }

  #nextDelay(): number {
    const { renewMs } = this.#options;
    if (this.#state.role === 'leader') return renewMs;
    // Followers retry with jitter so they do not hit Redis in step, and try again right when
    // the holder's lease would run out (a dead leader is replaced without waiting a full period).
    const jittered = Math.floor(renewMs * (0.5 + Math.random()));
    const left = this.#leaseLeftMs;
    this.#leaseLeftMs = null;
    return left !== null && left >= 0 ? Math.min(jittered, left + Math.floor(Math.random() * 25)) : jittered;
  }

  #enqueue(event: ElectionEvent): Promise<void> {
    const next = this.#queue.then(() => this.#handle(event));
    this.#queue = next.catch((error: unknown) => this.#options.log.warn(`election step failed: ${(error as Error).message}`));
    return this.#queue;
  }

  async #handle(event: ElectionEvent): Promise<void> {
    const step = stepElection(this.#state, event, { leaseMs: this.#options.leaseMs });
    this.#state = step.state;
    for (const action of step.actions) {
      const outcome = await this.#perform(action);
      if (outcome) await this.#handle(outcome);
    }
  }

  /** Performs one action; returns the event its outcome is, if any. */
  async #perform(action: ElectionAction): Promise<ElectionEvent | undefined> {
    const { links, keys, nodeId, leaseMs } = this.#options;
    switch (action.type) {
      case 'acquire': {
        if (!links.isUp()) return undefined;
        const sentAt = performance.now();
        const reply = (await ACQUIRE.run(links.main, [keys.leader, keys.term], [nodeId, leaseMs, action.minTerm]).catch(() => null)) as [number, string, number?] | null;
        if (!reply) return undefined;
        const holder = parseHolder(reply[1]);
        if (!holder) return undefined;
        if (reply[0] === 1) return { type: 'acquired', term: holder.term, sentAt };
        this.#leaseLeftMs = typeof reply[2] === 'number' ? reply[2] : null;
        return { type: 'held_by_other', term: holder.term };
      }
      case 'renew': {
        const sentAt = performance.now();
        const renewed = await RENEW.run(links.main, [keys.leader], [`${nodeId}:${action.term}`, leaseMs]).catch(() => null);
        // A failed call (Redis unreachable) changes nothing: the leader lapses by the clock.
        if (renewed === null) return undefined;
        return Number(renewed) === 1 ? { type: 'renewed', sentAt } : { type: 'renew_refused', now: performance.now() };
      }
      case 'release':
        await RELEASE.run(links.main, [keys.leader], [`${nodeId}:${action.term}`, keys.released]).catch(() => undefined);
        return undefined;
      case 'persist_term':
        await this.#options.floor.raise(action.term);
        return undefined;
      case 'announce':
        this.#options.log.info(`${action.event} term ${action.term}: ${action.reason}`);
        this.#options.events.emit({ type: action.event, data: { cluster: this.#options.clusterName, node: nodeId, term: action.term, reason: action.reason } });
        return undefined;
    }
  }
}
