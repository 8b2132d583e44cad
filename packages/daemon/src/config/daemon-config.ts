import { z } from 'zod';
import { TcpPlaneConfigSchema, type TcpPlaneConfig } from './tcp-plane-config.ts';

/**
 * `<OWL_HOME>/config.json`. Sections other subsystems own (cluster, roost, webhooks) are
 * left to their own schemas, so unknown top-level keys pass here.
 */
export const DaemonConfigSchema = z.looseObject({
  planes: z
    .strictObject({
      // true enables the plane with every default; false or absent keeps it off.
      tcp: z.union([z.boolean(), TcpPlaneConfigSchema]).optional(),
    })
    .prefault({}),
});

export interface DaemonConfig {
  /** null when the TCP plane is off. */
  readonly tcp: TcpPlaneConfig | null;
}

export function parseDaemonConfig(value: unknown): z.ZodSafeParseResult<DaemonConfig> {
  const parsed = DaemonConfigSchema.safeParse(value);
  if (!parsed.success) return parsed;
  const tcp = parsed.data.planes.tcp;
  const resolved = tcp === true ? TcpPlaneConfigSchema.parse({}) : tcp === false || tcp === undefined ? null : tcp;
  return { success: true, data: Object.freeze({ tcp: resolved === null ? null : Object.freeze(resolved) }) };
}
