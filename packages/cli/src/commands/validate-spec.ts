import { OwlError } from '@owl/rpc';
import type { AppSpec } from '@owl/rpc/contract';
import { flagForPath } from './app-flags.ts';

/**
 * Validates a spec built from flags before it leaves the CLI, so errors name the flag
 * (`--min-uptime: expected a duration ...`), and returns it parsed (durations and sizes as
 * numbers, defaults filled in): that is what gets sent. The schema is loaded lazily: only this
 * path needs it (type imports cost nothing at run time).
 */
export async function validateSpecFromFlags(spec: Record<string, unknown>): Promise<AppSpec> {
  const { AppSpecInputSchema, describeConfigIssue, describeIssues } = await import('@owl/rpc/contract');
  const parsed = AppSpecInputSchema.safeParse(spec, { error: describeConfigIssue, reportInput: true });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) => describeIssues([issue]).map(({ message }) => `${flagForPath(issue.path)}: ${message}`));
  throw new OwlError('OWL_USAGE', problems.join('; '));
}
