import { OwlError } from '@owl/rpc';
import { flagForPath } from './app-flags.ts';

/**
 * Validates a spec built from flags before it leaves the CLI, so errors name the flag
 * (`--min-uptime: expected a duration ...`). The schema is loaded lazily: only this path needs it.
 */
export async function validateSpecFromFlags(spec: Record<string, unknown>): Promise<void> {
  const { AppSpecInputSchema, describeConfigIssue, describeIssues } = await import('@owl/rpc/contract');
  const parsed = AppSpecInputSchema.safeParse(spec, { error: describeConfigIssue, reportInput: true });
  if (parsed.success) return;
  const problems = parsed.error.issues.flatMap((issue) => describeIssues([issue]).map(({ message }) => `${flagForPath(issue.path)}: ${message}`));
  throw new OwlError('OWL_USAGE', problems.join('; '));
}
