import type { AppSpec } from '@owl/rpc/contract';
import { probeExec } from './probe-exec.ts';
import { probeHttp } from './probe-http.ts';
import type { ProbeResult } from './probe-result.ts';
import { probeTcp } from './probe-tcp.ts';
import type { WindowResponsiveWatcher } from './window-responsive.ts';

export type HealthSpec = NonNullable<AppSpec['health']>;

export interface ProbeContext {
  pid: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Present on Windows only. */
  windows: WindowResponsiveWatcher | undefined;
}

/**
 * True when the spec has a check that runs on this platform. windowResponsive is a Windows
 * check: elsewhere it is ignored, so one config can serve a mixed fleet; an app left without
 * any check is never stalled.
 */
export function hasProbe(health: AppSpec['health'], platform: NodeJS.Platform = process.platform): health is HealthSpec {
  if (!health) return false;
  return health.http !== undefined || health.tcp !== undefined || health.exec !== undefined || (health.windowResponsive === true && platform === 'win32');
}

/** Runs every configured check at once; the instance is healthy only if all pass. */
export async function runProbes(health: HealthSpec, context: ProbeContext): Promise<ProbeResult> {
  const checks: Array<Promise<ProbeResult>> = [];
  if (health.http !== undefined) checks.push(probeHttp(health.http, health.timeout));
  if (health.tcp !== undefined) checks.push(probeTcp(health.tcp, health.timeout));
  if (health.exec !== undefined) checks.push(probeExec(health.exec, { cwd: context.cwd, env: context.env, timeoutMs: health.timeout }));
  if (health.windowResponsive === true && context.windows) checks.push(Promise.resolve(context.windows.verdict(context.pid)));
  const results = await Promise.all(checks);
  const failed = results.filter((result) => !result.ok);
  const shown = failed.length > 0 ? failed : results;
  return { ok: failed.length === 0, detail: shown.map((result) => result.detail).join('; ') };
}
