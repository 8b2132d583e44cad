import * as z from 'zod';
import { AppSpecInputSchema, APP_STATUSES, type AppSpec, type AppStatus } from '@owl/rpc/contract';
import { LAUNCH_ID_PATTERN } from '../adopt/launch-marker.ts';
import { RoostPointerSchema, type RoostPointerMap } from '../roost/roost-pointers.ts';

const InstanceRecordSchema = z.object({
  index: z.number().int().min(0),
  pid: z.number().int().positive().nullable(),
  startTime: z.string().nullable(),
  executable: z.string().nullable(),
  status: z.enum(APP_STATUSES),
  restarts: z.number().int().min(0),
  failures: z.number().int().min(0),
  startedAt: z.string().nullable(),
  lastExit: z.object({ code: z.number().nullable(), signal: z.string().nullable(), at: z.string() }).nullable(),
  reason: z.string().nullable(),
  /** The last launch, recorded before its spawn; the child carries it in OWL_LAUNCH. */
  launchId: z.string().regex(LAUNCH_ID_PATTERN).nullable().default(null),
});

const OverrideSchema = z.object({ run: z.boolean(), until: z.string().nullable() });

export const AppRecordSchema = z.object({
  spec: AppSpecInputSchema,
  override: OverrideSchema.nullable(),
  instances: z.array(InstanceRecordSchema),
});

/** The envelope of state.json; each app record is validated on its own (see state-records.ts). */
export const StateEnvelopeSchema = z.object({
  version: z.literal(1),
  apps: z.record(z.string(), z.unknown()),
  /** The current version of each roost (single node); absent in files from before roosts. */
  roosts: z.record(z.string(), RoostPointerSchema).default({}),
});

export type InstanceRecord = z.output<typeof InstanceRecordSchema>;
/** Operator start/stop that overrides a schedule until `until` (its next boundary). */
export type Override = z.output<typeof OverrideSchema>;
export interface AppRecord {
  spec: AppSpec;
  override: Override | null;
  instances: InstanceRecord[];
}
export interface DaemonState {
  version: 1;
  apps: Record<string, AppRecord>;
  roosts?: RoostPointerMap;
}

export function emptyState(): DaemonState {
  return { version: 1, apps: {}, roosts: {} };
}


export function newInstanceRecord(index: number, status: AppStatus): InstanceRecord {
  return { index, pid: null, startTime: null, executable: null, status, restarts: 0, failures: 0, startedAt: null, lastExit: null, reason: null, launchId: null };
}
