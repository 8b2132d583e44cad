import * as z from 'zod';
import { defineMethod, lazySchema } from './define-method.ts';

/** A roost name: one folder name, so it can never reach outside the store. */
export const RoostNameSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a roost name is 1-64 of A-Z a-z 0-9 . _ -').refine((name) => name !== '.' && name !== '..', 'a roost name cannot be "." or ".."');
const sha256Schema = lazySchema(() => z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in 64 lower-case hex digits'));

/** Upper bounds the daemon enforces; the client cuts chunks well inside them. */
export const ROOST_LIMITS = Object.freeze({
  maxChunkBytes: 256 * 1024,
  /** Raw bytes per `roost.upload` call: base64 of it stays well under the 1 MiB frame. */
  maxUploadBytes: 512 * 1024,
  maxFiles: 20_000,
  maxHashesPerQuery: 20_000,
});

export const roostChunkRefSchema = lazySchema(() => z.strictObject({ hash: sha256Schema(), size: z.number().int().min(1).max(ROOST_LIMITS.maxChunkBytes) }));
export const roostFileSchema = lazySchema(() => z.strictObject({
  path: z.string().min(1).max(1024),
  size: z.number().int().min(0),
  /** POSIX permission bits (0o644, 0o755); Windows ignores all but the owner's write bit. */
  mode: z.number().int().min(0).max(0o777),
  chunks: z.array(roostChunkRefSchema()),
}));
/** The immutable description of one version; its id is sha256 of its canonical JSON. */
export const roostVersionBodySchema = lazySchema(() => z.strictObject({
  schemaVersion: z.literal(1),
  mediaType: z.literal('application/vnd.owl.roost.version.v1+json'),
  config: z.record(z.string(), z.unknown()),
  files: z.array(roostFileSchema()).max(ROOST_LIMITS.maxFiles),
}));
export type RoostVersionBody = z.output<ReturnType<typeof roostVersionBodySchema>>;
export type RoostFile = z.output<ReturnType<typeof roostFileSchema>>;

export const roostVersionRowSchema = lazySchema(() => z.object({
  versionId: z.string(),
  current: z.boolean(),
  files: z.number().int(),
  bytes: z.number().int(),
  publishedAt: z.string().nullable(),
}));
export type RoostVersionRow = z.output<ReturnType<typeof roostVersionRowSchema>>;

export const roostStatusSchema = lazySchema(() => z.object({
  roost: z.string(),
  /** Where the roost is materialised (a link flipped to the current version's tree). */
  root: z.string(),
  current: z.string().nullable(),
  files: z.number().int(),
  bytes: z.number().int(),
  kept: z.array(roostVersionRowSchema()),
  /** False on a single node: version bodies are signed with the cluster key only in a cluster. */
  signed: z.boolean(),
}));
export type RoostStatus = z.output<ReturnType<typeof roostStatusSchema>>;

const roostParams = lazySchema(() => z.strictObject({ roost: RoostNameSchema }));
const switchResultSchema = lazySchema(() => z.object({
  roost: z.string(),
  versionId: z.string(),
  previous: z.string().nullable(),
  files: z.number().int(),
  bytes: z.number().int(),
  /** Running apps bound to the roost (`roost` in their spec), restarted after the switch. */
  restarted: z.array(z.string()),
}));

export const roostMethods = {
  'roost.prepare': defineMethod({
    params: () => z.strictObject({ roost: RoostNameSchema, body: roostVersionBodySchema() }),
    result: () => z.object({ versionId: z.string(), missing: z.array(z.string()) }),
    role: 'operator',
    summary: 'Checks a version body (every path through the destination allowlist), keeps it, and answers the chunks the daemon lacks.',
  }),
  'roost.upload': defineMethod({
    params: () => z.strictObject({ chunks: z.array(z.strictObject({ hash: sha256Schema(), data: z.string() })).min(1) }),
    result: () => z.object({ stored: z.number().int() }),
    role: 'operator',
    summary: 'Stores chunks (base64), each verified against its sha256; at most ROOST_LIMITS.maxUploadBytes per call.',
  }),
  'roost.commit': defineMethod({
    params: () => z.strictObject({ roost: RoostNameSchema, versionId: sha256Schema() }),
    result: switchResultSchema,
    role: 'operator',
    summary: 'Assembles a prepared version in staging and switches the roost to it at once; answers once the pointer is on disk.',
  }),
  'roost.rollback': defineMethod({
    params: () => z.strictObject({ roost: RoostNameSchema, to: z.string().regex(/^[0-9a-f]{6,64}$/).optional() }),
    result: switchResultSchema,
    role: 'operator',
    summary: 'Flips the roost back to the previous kept version, or to --to (a version id or its prefix).',
  }),
  'roost.versions': defineMethod({
    params: roostParams,
    result: () => z.array(roostVersionRowSchema()),
    role: 'viewer',
    summary: 'The kept versions of a roost, newest published first.',
  }),
  'roost.status': defineMethod({
    params: roostParams,
    result: roostStatusSchema,
    role: 'viewer',
    summary: 'The current version of a roost, its files and bytes, and the kept versions.',
  }),
} as const;
