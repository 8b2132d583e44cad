import * as z from 'zod';
import { ZOD_PARSE_OPTIONS } from '@owl/rpc/server';
import { TcpPlaneConfigSchema, type TcpPlaneConfig } from './tcp-plane-config.ts';
import { WebhooksConfigSchema, type WebhookConfig } from './webhooks-config.ts';
import { ClusterConfigSchema, resolveClusterConfig, type ClusterConfig } from '../cluster/cluster-config.ts';

/**
 * `<OWL_HOME>/config.json`. Sections other subsystems own (cluster, roost) are left to
 * their own schemas, so unknown top-level keys pass here.
 */
export const DaemonConfigSchema = z.looseObject({
  planes: z
    .strictObject({
      // true enables the plane with every default; false or absent keeps it off.
      tcp: z.union([z.boolean(), TcpPlaneConfigSchema]).optional(),
    })
    .prefault({}),
  webhooks: WebhooksConfigSchema,
  cluster: ClusterConfigSchema.optional(),
});

export interface DaemonConfig {
  /** null when the TCP plane is off. */
  readonly tcp: TcpPlaneConfig | null;
  /** Endpoints chosen events are POSTed to; [] when none. */
  readonly webhooks: readonly WebhookConfig[];
  /** null when this daemon is in no cluster. */
  readonly cluster: ClusterConfig | null;
}

export function parseDaemonConfig(value: unknown): { success: true; data: DaemonConfig } | { success: false; error: z.ZodError } {
  const parsed = DaemonConfigSchema.safeParse(value, ZOD_PARSE_OPTIONS);
  if (!parsed.success) return { success: false, error: parsed.error };
  const tcp = parsed.data.planes.tcp;
  const resolved = tcp === true ? TcpPlaneConfigSchema.parse({}) : tcp === false || tcp === undefined ? null : tcp;
  const webhooks = Object.freeze(parsed.data.webhooks.map((webhook) => Object.freeze(webhook)));
  const cluster = parsed.data.cluster ? resolveClusterConfig(parsed.data.cluster) : null;
  return { success: true, data: Object.freeze({ tcp: resolved === null ? null : Object.freeze(resolved), webhooks, cluster }) };
}
