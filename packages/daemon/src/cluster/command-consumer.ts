import { setTimeout as sleep } from 'node:timers/promises';
import type { EventBus } from '../events/event-bus.ts';
import type { DaemonLog } from '../daemon-log/daemon-log.ts';
import type { ClusterKeys } from './cluster-keys.ts';
import { signPayload } from './cluster-signing.ts';
import { acceptCommand, type FleetCommand } from './fleet-command.ts';
import type { HandledCommands } from './handled-commands.ts';
import type { RedisLinks } from './redis-connection.ts';

const BLOCK_MS = 2_000;
const RESULTS_MAX = 10_000;

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

  constructor(options: CommandConsumerOptions) {
    this.#options = options;
    // Redis may have come back empty: its stream ids start over, so read from the start again.
    options.links.onUp(() => (this.#cursor = '0-0'));
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

  async #report(result: FleetResult): Promise<void> {
    const { body, sig } = signPayload(this.#options.clusterKey, result);
    await this.#options.links.main.xadd(this.#options.keys.results, 'MAXLEN', '~', RESULTS_MAX, '*', 'body', body, 'sig', sig).catch((error: unknown) => {
      this.#options.log.warn(`fleet result ${result.commandId} not reported (${(error as Error).message})`);
    });
  }
}

export interface FleetResult {
  commandId: string;
  nodeId: string;
  status: 'ok' | 'failed' | 'expired';
  message: string;
  at: number;
}
