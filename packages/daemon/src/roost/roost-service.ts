import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { OwlError } from '@owl/rpc';
import type { Params, Result } from '@owl/rpc';
import type { RoostVersionBody, RoostVersionRow } from '@owl/rpc/contract';
import { ROOST_LIMITS } from '@owl/rpc/contract';
import type { EventBus } from '../events/event-bus.ts';
import { ChunkStore } from './chunk-store.ts';
import { BodyStore, checkVersionBody, totalBytes } from './version-body.ts';
import { loadRoostConfig, roostRoot } from './roost-config.ts';
import { checkLinkParent, inspectLink } from './roost-paths.ts';
import { assembleVersion, pointLink } from './assemble-version.ts';
import type { RoostPointer, RoostPointerStore } from './roost-pointers.ts';
import { touchChunks } from './touch-chunks.ts';
import { faultPoint } from '../fault/fault-point.ts';

// Chunks younger than this survive GC: a publish in flight may have uploaded them already.
const GC_GRACE_MS = 15 * 60 * 1000;

export interface RoostServiceOptions {
  /** `<home>/roost`. */
  directory: string;
  configFile: string;
  pointers: RoostPointerStore;
  events: EventBus;
  /** Restarts the running apps bound to a roost after its switch; returns their names. */
  restartBound(roost: string): Promise<string[]>;
}

type SwitchResult = Result<'roost.commit'>;

/** Publish, switch, rollback and the read views of roosts on one daemon. */
export class RoostService {
  readonly #options: RoostServiceOptions;
  readonly chunks: ChunkStore;
  readonly #bodies: BodyStore;
  // One mutation at a time: a switch, its GC and another publish's prepare never interleave.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: RoostServiceOptions) {
    this.#options = options;
    this.chunks = new ChunkStore(path.join(options.directory, 'chunks'));
    this.#bodies = new BodyStore(path.join(options.directory, 'bodies'));
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #tree(roost: string, versionId: string): string {
    return path.join(this.#options.directory, 'trees', roost, versionId);
  }

  async #root(roost: string): Promise<string> {
    const config = await loadRoostConfig(this.#options.configFile);
    return roostRoot(config, roost, this.#options.configFile);
  }

  prepare({ roost, body }: Params<'roost.prepare'>): Promise<Result<'roost.prepare'>> {
    return this.#serial(async () => {
      // The destination is checked before any chunk travels, as the body's paths are.
      await this.#checkLink(await this.#root(roost), roost);
      checkVersionBody(body);
      const versionId = await this.#bodies.write(body);
      const hashes = [...new Set(body.files.flatMap((file) => file.chunks.map((chunk) => chunk.hash)))];
      const missing: string[] = [];
      for (const hash of hashes) if (!(await this.chunks.has(hash))) missing.push(hash);
      await touchChunks(this.chunks, hashes.filter((hash) => !missing.includes(hash)));
      return { versionId, missing };
    });
  }

  async upload({ chunks }: Params<'roost.upload'>): Promise<Result<'roost.upload'>> {
    const decoded = chunks.map(({ hash, data }) => ({ hash, data: Buffer.from(data, 'base64') }));
    const bytes = decoded.reduce((sum, chunk) => sum + chunk.data.length, 0);
    if (bytes > ROOST_LIMITS.maxUploadBytes) throw new OwlError('OWL_LIMIT_EXCEEDED', `roost.upload carries ${bytes} bytes; at most ${ROOST_LIMITS.maxUploadBytes} per call`);
    for (const chunk of decoded) {
      if (chunk.data.length > ROOST_LIMITS.maxChunkBytes) throw new OwlError('OWL_LIMIT_EXCEEDED', `chunk ${chunk.hash} has ${chunk.data.length} bytes; at most ${ROOST_LIMITS.maxChunkBytes}`);
      await this.chunks.put(chunk.hash, chunk.data);
    }
    return { stored: decoded.length };
  }

  commit({ roost, versionId }: Params<'roost.commit'>): Promise<SwitchResult> {
    return this.#serial(async () => {
      const config = await loadRoostConfig(this.#options.configFile);
      const link = roostRoot(config, roost, this.#options.configFile);
      await this.#checkLink(link, roost);
      const body = await this.#bodies.read(versionId);
      checkVersionBody(body);
      await assembleVersion(body, this.chunks, path.join(this.#options.directory, 'staging'), this.#tree(roost, versionId));
      const previous = this.#options.pointers.get()[roost] ?? null;
      const now = new Date().toISOString();
      const kept = keptAfterPublish(previous, versionId, now, config.keep);
      await this.#switch(roost, link, { current: versionId, kept, switchedAt: now });
      this.#options.events.emit({ type: 'roost_published', data: { roost, versionId, files: body.files.length, bytes: totalBytes(body) } });
      this.#options.events.emit({ type: 'roost_switched', data: { roost, versionId, previous: previous?.current ?? null } });
      await this.#dropUnkept(roost, kept.map((entry) => entry.versionId));
      const restarted = await this.#options.restartBound(roost);
      return { roost, versionId, previous: previous?.current ?? null, files: body.files.length, bytes: totalBytes(body), restarted };
    });
  }

  rollback({ roost, to }: Params<'roost.rollback'>): Promise<SwitchResult> {
    return this.#serial(async () => {
      const link = await this.#root(roost);
      await this.#checkLink(link, roost);
      const pointer = this.#pointer(roost);
      const target = pickRollbackTarget(roost, pointer, to);
      const body = await this.#bodies.read(target);
      await this.#switch(roost, link, { ...pointer, current: target, switchedAt: new Date().toISOString() });
      this.#options.events.emit({ type: 'roost_rolled_back', data: { roost, versionId: target, previous: pointer.current } });
      const restarted = await this.#options.restartBound(roost);
      return { roost, versionId: target, previous: pointer.current, files: body.files.length, bytes: totalBytes(body), restarted };
    });
  }

  async versions({ roost }: Params<'roost.versions'>): Promise<RoostVersionRow[]> {
    const pointer = this.#pointer(roost);
    const rows: RoostVersionRow[] = [];
    for (const entry of pointer.kept) {
      const body = await this.#bodies.read(entry.versionId);
      rows.push({ versionId: entry.versionId, current: entry.versionId === pointer.current, files: body.files.length, bytes: totalBytes(body), publishedAt: entry.publishedAt });
    }
    return rows;
  }

  async status({ roost }: Params<'roost.status'>): Promise<Result<'roost.status'>> {
    const root = await this.#root(roost);
    const pointer = this.#options.pointers.get()[roost];
    if (!pointer) return { roost, root, current: null, files: 0, bytes: 0, kept: [], signed: false };
    const body: RoostVersionBody = await this.#bodies.read(pointer.current);
    return { roost, root, current: pointer.current, files: body.files.length, bytes: totalBytes(body), kept: await this.versions({ roost }), signed: false };
  }

  /** After a crash between the pointer's write and the link's flip, the link follows the pointer. */
  async reconcileLinks(): Promise<void> {
    const config = await loadRoostConfig(this.#options.configFile);
    for (const [roost, pointer] of Object.entries(this.#options.pointers.get())) {
      const link = config.roots[roost];
      if (link === undefined) continue;
      const tree = this.#tree(roost, pointer.current);
      const found = await inspectLink(link);
      if (found.kind === 'absent' || (found.kind === 'link' && found.target !== tree)) await pointLink(link, tree);
    }
  }

  #pointer(roost: string): RoostPointer {
    const pointer = this.#options.pointers.get()[roost];
    if (!pointer) throw new OwlError('OWL_NOT_FOUND', `roost "${roost}" has no published version yet`, { data: { roost } });
    return pointer;
  }

  /** The roost's link may be absent or owl's own; a real folder or file there is never replaced. */
  async #checkLink(link: string, roost: string): Promise<void> {
    await checkLinkParent(link);
    const found = await inspectLink(link);
    if (found.kind === 'other') throw new OwlError('OWL_CONFIG_INVALID', `roost "${roost}": ${link} exists and is not owl's link; move it away or choose another root`);
    // The link names the tree exactly as owl wrote it; a link made by someone else is left alone.
    if (found.kind === 'link' && path.dirname(found.target) !== path.join(this.#options.directory, 'trees', roost)) {
      throw new OwlError('OWL_CONFIG_INVALID', `roost "${roost}": ${link} is a link to ${found.target}, not to one of this roost's versions; remove it first`);
    }
  }

  /** Intent first (the pointer durable in state.json), then the link flips; the reply follows both. */
  async #switch(roost: string, link: string, next: RoostPointer): Promise<void> {
    await this.#options.pointers.save({ ...this.#options.pointers.get(), [roost]: next });
    faultPoint('roost:pointer');
    await pointLink(link, this.#tree(roost, next.current));
  }

  /** Trees of versions no longer kept go; then chunks no kept version of any roost references. */
  async #dropUnkept(roost: string, kept: string[]): Promise<void> {
    const trees = path.join(this.#options.directory, 'trees', roost);
    for (const name of await readdir(trees).catch(() => [] as string[])) {
      if (!kept.includes(name)) await rm(path.join(trees, name), { recursive: true, force: true });
    }
    const referenced = new Set<string>();
    for (const pointer of Object.values(this.#options.pointers.get())) {
      for (const entry of pointer.kept) {
        const body = await this.#bodies.read(entry.versionId);
        for (const file of body.files) for (const chunk of file.chunks) referenced.add(chunk.hash);
      }
    }
    await this.chunks.collect(referenced, GC_GRACE_MS);
  }
}

/**
 * The new version first, then the one it replaces (even when a rollback had made an older
 * version current), then the rest newest first, `keep` in all: a rollback after a publish
 * always returns to what was live before it.
 */
export function keptAfterPublish(previous: RoostPointer | null, versionId: string, now: string, keep: number): RoostPointer['kept'] {
  const older = previous?.kept ?? [];
  const live = older.find((entry) => entry.versionId === previous?.current);
  const ordered = [{ versionId, publishedAt: now }, ...(live ? [live] : []), ...older];
  const seen = new Set<string>();
  return ordered.filter((entry) => !seen.has(entry.versionId) && seen.add(entry.versionId)).slice(0, keep);
}

/** `to` (an id or a unique prefix of a kept one), else the kept version published just before the current one. */
export function pickRollbackTarget(roost: string, pointer: RoostPointer, to: string | undefined): string {
  const ids = pointer.kept.map((entry) => entry.versionId);
  if (to !== undefined) {
    const matches = ids.filter((id) => id.startsWith(to));
    if (matches.length === 1) return matches[0] as string;
    if (matches.length > 1) throw new OwlError('OWL_USAGE', `--to ${to} matches ${matches.length} kept versions of roost "${roost}"; give more digits`);
    throw new OwlError('OWL_NOT_FOUND', `roost "${roost}" keeps no version ${to} (kept: ${ids.map((id) => id.slice(0, 12)).join(', ')})`, { data: { roost } });
  }
  const older = ids[ids.indexOf(pointer.current) + 1];
  if (older === undefined) throw new OwlError('OWL_NOT_FOUND', `roost "${roost}" keeps no version older than ${pointer.current.slice(0, 12)} to roll back to`, { data: { roost } });
  return older;
}
