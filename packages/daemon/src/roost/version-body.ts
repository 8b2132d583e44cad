import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { OwlError } from '@owl/rpc';
import { roostVersionBodySchema, type RoostVersionBody } from '@owl/rpc/contract';
import { canonicalJson } from '../audit/canonical-json.ts';
import { writeFileAtomic } from '../state/atomic-write.ts';
import { sha256Hex } from './chunking.ts';
import { checkRoostPaths } from './roost-paths.ts';

export const ROOST_MEDIA_TYPE = 'application/vnd.owl.roost.version.v1+json';

/** versionId = sha256 of the body's canonical JSON: the same folder always gives the same id. */
export function versionIdOf(body: RoostVersionBody): string {
  return sha256Hex(Buffer.from(canonicalJson(body)));
}

/** Every rule a body must meet before any byte of it is written: paths, sizes, chunk sums. */
export function checkVersionBody(body: RoostVersionBody): void {
  checkRoostPaths(body.files.map((file) => file.path));
  for (const file of body.files) {
    const total = file.chunks.reduce((sum, chunk) => sum + chunk.size, 0);
    if (total !== file.size) throw new OwlError('OWL_INVALID_PARAMS', `roost file "${file.path}": size ${file.size} but its chunks hold ${total} bytes`, { data: { path: file.path } });
  }
}

export function totalBytes(body: RoostVersionBody): number {
  return body.files.reduce((sum, file) => sum + file.size, 0);
}

/** `<home>/roost/bodies/<versionId>.json`: version bodies, stored in their canonical form. */
export class BodyStore {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  async write(body: RoostVersionBody): Promise<string> {
    const versionId = versionIdOf(body);
    await mkdir(this.directory, { recursive: true });
    await writeFileAtomic(path.join(this.directory, `${versionId}.json`), canonicalJson(body));
    return versionId;
  }

  /** The body of `versionId`, re-hashed on read: a body edited on disk is refused, not applied. */
  async read(versionId: string): Promise<RoostVersionBody> {
    let text: string;
    try {
      text = await readFile(path.join(this.directory, `${versionId}.json`), 'utf8');
    } catch {
      throw new OwlError('OWL_NOT_FOUND', `roost version ${versionId} is not known to this daemon (publish it first)`, { data: { versionId } });
    }
    const body = roostVersionBodySchema().parse(JSON.parse(text));
    if (versionIdOf(body) !== versionId) throw new OwlError('OWL_INTERNAL', `roost version body ${versionId}.json was changed on disk: it no longer hashes to its name`);
    return body;
  }
}
