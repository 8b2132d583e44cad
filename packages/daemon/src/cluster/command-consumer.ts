import { setTimeout as sleep } from 'node:timers/promises';
import type { EventBus } from '../events/event-bus.ts';
import type { DaemonLog } from '../daemon-log/daemon-log.ts';
import type { ClusterKeys } from './cluster-keys.ts';
import { signPayload, type SignedEnvelope } from './cluster-signing.ts';
import { acceptCommand, type FleetCommand } from './fleet-command.ts';
import type { HandledCommands } from './handled-commands.ts';
import type { RedisLinks } from './redis-connection.ts';

const BLOCK_MS = 2_000;
const RESULTS_MAX = 10_000;
/** Results not yet delivered while Redis is away; the oldest go first when it stays away long. */
export const RESULT_BUFFER_MAX = 1_000;

export type CommandExecutor = (command: FleetCommand) => Promise<void>;

export interface CommandConsumerOptions {
  nodeId: string;
  clusterName: string;
  keys: ClusterKeys;
  clusterKey: Uint8Array;
  links: RedisLinks;
  handled: HandledCommands;
  execute: CommandExecutor;
  events: EventBus;
  log: DaemonLog;
  reportForged(source: string, detail: Record<string, unknown>): void;
}

/**
 * Reads this node's command stream from its start (so what was queued while the node was
 * away runs when it returns), and runs each signed, unexpired command id once.
 */
export class CommandConsumer {
  readonly #options: CommandConsumerOptions;
  #cursor = '0-0';
  #running = false;
  #loop: Promise<void> | undefined;
  readonly #unreported: SignedEnvelope[] = [];
  #dropped = 0;
  #delivering: Promise<void> | undefined;

  constructor(options: CommandConsumerOptions) {
    this.#options = options;
    options.links.onUp(() => {
      // Redis may have come back empty: its stream ids start over, so read from the start again.
      this.#cursor = '0-0';
      void this.#deliver();
    });
  }

  /** Results waiting for Redis to come back. */
  get unreported(): number {
    return this.#unreported.length;
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops taking new entries; `done` resolves when the loop has left (close the links to cut a blocked read short). */
  halt(): Promise<void> {
    this.#running = false;
    return this.#loop ?? Promise.resolve();
  }

  async #run(): Promise<void> {
    const { links, keys, nodeId } = this.#options;
    await this.#reportInterrupted();
    while (this.#running) {
      if (!links.isUp()) {
        await sleep(250);
        continue;
      }
      let reply: Array<[string, Array<[string, string[]]>]> | null;
      try {
        reply = (await links.blocking.xread('COUNT', 100, 'BLOCK', BLOCK_MS, 'STREAMS', keys.commands(nodeId), this.#cursor)) as typeof reply;
      } catch {
        await sleep(250);
        continue;
      }
      for (const [, entries] of reply ?? []) {
        for (const [streamId, flat] of entries) {
          if (!this.#running) return;
          await this.#handleEntry(streamId, flat).catch((error: unknown) => this.#options.log.error(`fleet command ${streamId} not handled: ${(error as Error).message}`));
          this.#cursor = streamId;
        }
      }
    }
  }

  async #handleEntry(streamId: string, flat: string[]): Promise<void> {
    const { handled, clusterKey, nodeId } = this.#options;
    const decision = acceptCommand(flat, clusterKey, nodeId, handled.ids(), Date.now());
    switch (decision.decision) {
      case 'forged': {
        const forgedId = `forged:${streamId}`;
        if (handled.statusOf(forgedId)) return;
        await handled.record(forgedId, 'forged', Date.now());
        this.#options.reportForged('fleet command', { streamId, reason: decision.reason });
        return;
      }
      case 'done_before':
        return;
      case 'expired':
        await handled.record(decision.command.id, 'expired', decision.command.expiresAt);
        await this.#finish(decision.command, 'expired', `expired at ${new Date(decision.command.expiresAt).toISOString()} before this node could run it`);
        return;
      case 'run':
        break;
    }
    const { command } = decision;
    // On disk before it runs: a crash from here on never runs it a second time.
    await handled.record(command.id, 'running', command.expiresAt);
    let status: 'ok' | 'failed' = 'ok';
    let message = `${command.action} ${command.app}: done`;
    try {
      await this.#options.execute(command);
    } catch (error) {
      status = 'failed';
      message = (error as Error).message;
    }
    await handled.record(command.id, status, command.expiresAt);
    await this.#finish(command, status, message);
  }

  /** Commands a crash cut short are reported once as interrupted, never run again. */
  async #reportInterrupted(): Promise<void> {
    // The handled file holds ids only; an interrupted one is reported without its details.
    for (const id of this.#options.handled.ids()) {
      if (this.#options.handled.statusOf(id) !== 'running') continue;
      await this.#options.handled.record(id, 'interrupted', Date.now());
      await this.#report({ commandId: id, nodeId: this.#options.nodeId, status: 'failed', message: 'interrupted by a daemon restart; not run again', at: Date.now() });
    }
  }

  async #finish(command: FleetCommand, status: 'ok' | 'failed' | 'expired', message: string): Promise<void> {
    this.#options.events.emit({
      type: 'fleet_command',
      app: command.app,
      data: { cluster: this.#options.clusterName, id: command.id, action: command.action, status, message, issuedBy: command.issuedBy },
    });
    await this.#report({ commandId: command.id, nodeId: this.#options.nodeId, status, message, at: Date.now() });
  }

  /** Signs the result and queues it behind any not yet delivered, so results reach Redis in the order they were made. */
  async #report(result: FleetResult): Promise<void> {
    this.#unreported.push(signPayload(this.#options.clusterKey, result));
    if (this.#unreported.length > RESULT_BUFFER_MAX) {
      this.#unreported.shift();
      this.#dropped += 1;
      if (this.#dropped % 100 === 1) this.#options.log.warn(`fleet result buffer full (${RESULT_BUFFER_MAX}): ${this.#dropped} oldest results dropped`);
    }
    await this.#deliver();
  }

  /** One delivery at a time (two would append the head twice); stops at the first failure and keeps the rest for the next `redis_up`. */
  #deliver(): Promise<void> {
    this.#delivering ??= this.#deliverAll().then((stoppedOnFailure) => {
      this.#delivering = undefined;
      // A result queued while this pass was ending is taken by the next pass.
      if (!stoppedOnFailure && this.#unreported.length > 0 && this.#options.links.isUp()) return this.#deliver();
      return undefined;
    });
    return this.#delivering;
  }

  /** Resolves true when a write failed (Redis went away); the rest waits for `redis_up`. */
  async #deliverAll(): Promise<boolean> {
    const { links, keys, log } = this.#options;
    while (this.#unreported.length > 0 && links.isUp()) {
      const next = this.#unreported[0] as SignedEnvelope;
      try {
        await links.main.xadd(keys.results, 'MAXLEN', '~', RESULTS_MAX, '*', 'body', next.body, 'sig', next.sig);
      } catch (error) {
        log.warn(`fleet result not delivered yet, kept for when Redis is back (${(error as Error).message})`);
        return true;
      }
      this.#unreported.shift();
    }
    if (this.#unreported.length > 0) log.warn(`${this.#unreported.length} fleet result(s) kept until Redis is reachable again`);
    return false;
  }
}

export interface FleetResult {
  commandId: string;
  nodeId: string;
  status: 'ok' | 'failed' | 'expired';
  message: string;
  at: number;
}
