import type { AppRow } from '@owl/rpc';
import type { DaemonLog } from '../daemon-log/daemon-log.ts';
import type { ClusterConfig } from './cluster-config.ts';
import type { ClusterKeys } from './cluster-keys.ts';
import { signPayload, type SignedEnvelope } from './cluster-signing.ts';
import type { HostFigureReader } from './host-figures.ts';
import { countByStatus, summaryApps, type NodeRecord, type NodeSummary } from './node-record.ts';
import type { RedisLinks } from './redis-connection.ts';

const SUMMARIES_MAX = 10_000;
/** Summaries made while Redis is away; the oldest go first when it stays away long. */
export const SUMMARY_BUFFER_MAX = 720;

export interface HeartbeatOptions {
  nodeId: string;
  alias: string;
  version: string;
  startedAt: number;
  config: ClusterConfig;
  keys: ClusterKeys;
  clusterKey: Uint8Array;
  links: RedisLinks;
  host: HostFigureReader;
  listApps(): Promise<AppRow[]>;
  /** The certificate fingerprint of this node's TLS TCP plane, or null (plain or none). */
  planeFingerprint(): string | null;
  log: DaemonLog;
  /** Called after each beat, whether Redis took it or not (the leader's jobs ride on it). */
  afterBeat(): Promise<void>;
}

/** Heartbeats (TTL'd record, 3 missed = offline) and per-tick summaries, buffered while Redis is away. */
export class HeartbeatLoop {
  readonly #options: HeartbeatOptions;
  readonly #buffer: SignedEnvelope[] = [];
  #timer: NodeJS.Timeout | undefined;
  #lastSummaryAt = 0;
  #dropped = 0;
  #stopped = false;
  #flushing = false;
  /** The beat in progress, if any: a leave waits for it so it cannot write the record back. */
  #beating: Promise<void> | null = null;

  constructor(options: HeartbeatOptions) {
    this.#options = options;
    // Redis back: beat now (after the beat in flight, which may have found it away).
    options.links.onUp(() => void (this.#beating ?? Promise.resolve()).then(() => this.#beatOnce()));
  }

  get buffered(): number {
    return this.#buffer.length;
  }

  start(): void {
    this.#schedule(0);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /**
   * The node leaves: beats stop, the one in flight (if any) finishes, then its record and registry entry go, so it is
   * not listed as offline. Without the wait, a beat that read the apps before the leave would write the entry back.
   */
  async forget(): Promise<void> {
    this.stop();
    await this.#beating;
    const { links, keys, nodeId } = this.#options;
    await Promise.all([links.main.del(keys.node(nodeId)), links.main.zrem(keys.nodes, nodeId), links.main.hdel(keys.members, nodeId)]);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.#beatOnce().finally(() => this.#schedule(this.#options.config.heartbeatMs));
    }, delayMs);
    this.#timer.unref();
  }

  /** One beat at a time; a beat asked for while one runs joins it. None once stopped. Never rejects. */
  #beatOnce(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#beating ??= this.#beat()
      .catch((error: unknown) => this.#options.log.warn(`heartbeat: ${(error as Error).message}`))
      .finally(() => {
        this.#beating = null;
      });
    return this.#beating;
  }

  async #beat(): Promise<void> {
    const { config, host } = this.#options;
    const apps = await this.#options.listApps().catch(() => []);
    const figures = await host.read();
    const now = Date.now();
    if (now - this.#lastSummaryAt >= config.summaryMs) {
      this.#lastSummaryAt = now;
      const summary: NodeSummary = { nodeId: this.#options.nodeId, alias: this.#options.alias, at: now, host: figures, apps: summaryApps(apps) };
      this.#enqueueSummary(signPayload(this.#options.clusterKey, summary));
    }
    const record: NodeRecord = { id: this.#options.nodeId, alias: this.#options.alias, labels: { ...config.labels }, address: config.address, version: this.#options.version, startedAt: this.#options.startedAt, at: now, apps: countByStatus(apps), host: figures };
    await this.#write(record).catch(() => undefined);
    await this.#flush().catch(() => undefined);
    await this.#options.afterBeat().catch((error: unknown) => this.#options.log.warn(`leader jobs: ${(error as Error).message}`));
  }

  async #write(record: NodeRecord): Promise<void> {
    const { links, keys, nodeId, config } = this.#options;
    if (!links.isUp()) return;
    const envelope = JSON.stringify(signPayload(this.#options.clusterKey, record));
    // Three missed beats and the record is gone: that is what offline means.
    const ttl = config.heartbeatMs * 3 + Math.floor(config.heartbeatMs / 2);
    const identity = JSON.stringify(signPayload(this.#options.clusterKey, { id: nodeId, alias: record.alias, labels: record.labels, address: record.address, fingerprint: this.#options.planeFingerprint() }));
    await links.main.multi().set(keys.node(nodeId), envelope, 'PX', ttl).zadd(keys.nodes, record.at, nodeId).hset(keys.members, nodeId, identity).exec();
  }

  #enqueueSummary(envelope: SignedEnvelope): void {
    this.#buffer.push(envelope);
    if (this.#buffer.length > SUMMARY_BUFFER_MAX) {
      this.#buffer.shift();
      this.#dropped += 1;
      if (this.#dropped % 100 === 1) this.#options.log.warn(`summary buffer full (${SUMMARY_BUFFER_MAX}): ${this.#dropped} oldest summaries dropped`);
    }
  }

  /** Delivers buffered summaries oldest first; stops at the first failure and keeps the rest. */
  async #flush(): Promise<void> {
    const { links, keys } = this.#options;
    // One flush at a time: two would send the head of the buffer twice.
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#buffer.length > 0 && links.isUp()) {
        const next = this.#buffer[0] as SignedEnvelope;
        await links.main.xadd(keys.summaries, 'MAXLEN', '~', SUMMARIES_MAX, '*', 'body', next.body, 'sig', next.sig);
        this.#buffer.shift();
      }
    } finally {
      this.#flushing = false;
    }
  }
}
