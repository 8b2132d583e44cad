import { readFile, stat } from 'node:fs/promises';
import { OwlError, parseConfigJson } from '@owl/rpc';
import { OwlConfigSchema, describeConfigIssue, describeIssues, type AppSpecInput } from '@owl/rpc/contract';
import { findDuplicateNames } from './find-duplicate-names.ts';

// 1000 apps of a few kilobytes each fit many times over; anything larger is not a config file.
export const MAX_CONFIG_FILE_BYTES = 16 * 1024 * 1024;
// Enough problems to fix in one go without burying the terminal.
const MAX_REPORTED_PROBLEMS = 20;

const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
};

/**
 * Reads and validates an `owl.config.json`, returning its apps as written (the daemon
 * applies defaults when it validates them again). Every problem is an OWL_CONFIG_INVALID
 * error whose message starts with the file path, one line per problem:
 * `owl.config.json: apps[1].restart.maxRestarts: expected a number, received "ten"`.
 *
 * @example
 * const apps = await loadConfigFile('owl.config.json');
 */
export async function loadConfigFile(file: string): Promise<AppSpecInput[]> {
  const text = await readConfigText(file);
  const document = parseConfigJson(file, text);
  const result = OwlConfigSchema.safeParse(document, { error: describeConfigIssue, reportInput: true });
  const problems = result.success ? [] : describeIssues(result.error.issues);
  const apps = document !== null && typeof document === 'object' ? (document as { apps?: unknown }).apps : undefined;
  if (Array.isArray(apps)) {
    for (const { name, index, firstIndex } of findDuplicateNames(apps)) {
      problems.push({ path: `apps[${index}].name`, message: `duplicate app name ${JSON.stringify(name)}, already used by apps[${firstIndex}]` });
    }
  }
  if (problems.length > 0) throw invalidConfig(file, problems);
  return (document as { apps: AppSpecInput[] }).apps;
}

async function readConfigText(file: string): Promise<string> {
  try {
    const { size } = await stat(file);
    if (size > MAX_CONFIG_FILE_BYTES) {
      throw new OwlError('OWL_CONFIG_INVALID', `${file}: the file is ${size} bytes, expected at most ${MAX_CONFIG_FILE_BYTES}`, { data: { file, size } });
    }
    return await readFile(file, 'utf8');
  } catch (cause) {
    if (cause instanceof OwlError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code ?? 'EIO';
    const reason = READ_FAILURES[code];
    const detail = reason === undefined ? code : `${reason} (${code})`;
    throw new OwlError('OWL_CONFIG_INVALID', `${file}: cannot read the config file: ${detail}`, { cause, data: { file, errorCode: code } });
  }
}

function invalidConfig(file: string, problems: { path: string; message: string }[]): OwlError {
  const lines = problems.slice(0, MAX_REPORTED_PROBLEMS).map(({ path, message }) => `${file}: ${path === '' ? '' : `${path}: `}${message}`);
  if (problems.length > MAX_REPORTED_PROBLEMS) lines.push(`${file}: and ${problems.length - MAX_REPORTED_PROBLEMS} more problems`);
  return new OwlError('OWL_CONFIG_INVALID', lines.join('\n'), { data: { file, problems } });
}
