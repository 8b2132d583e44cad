import { statSync } from 'node:fs';
import { OwlError } from '@owl/rpc';
import type { AppSpec } from '@owl/rpc/contract';

/** Why `cwd` cannot be a child's working directory; null when it can (one stat, synchronous: it runs before every spawn). */
export function workingDirectoryProblem(cwd: string): string | null {
  try {
    const stats = statSync(cwd);
    return stats.isDirectory() ? null : `working directory "${cwd}" is not a directory`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `working directory "${cwd}" does not exist` : `working directory "${cwd}" cannot be used: ${code ?? (error as Error).message}`;
  }
}

/**
 * Refuses specs whose cwd is missing or not a directory on this machine, before anything is
 * created: a spawn there would fail with ENOENT, which reads as a missing executable.
 */
export function assertWorkingDirectories(method: string, specs: ReadonlyArray<{ path: string; spec: AppSpec }>): void {
  const problems: string[] = [];
  for (const { path, spec } of specs) {
    if (spec.cwd === undefined) continue;
    const problem = workingDirectoryProblem(spec.cwd);
    if (problem) problems.push(`${path}.cwd: ${problem}`);
  }
  if (problems.length > 0) {
    throw new OwlError('OWL_INVALID_PARAMS', `invalid params for "${method}": ${problems.join('; ')}`);
  }
}
