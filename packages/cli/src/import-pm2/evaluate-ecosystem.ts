import { spawn } from 'node:child_process';
import path from 'node:path';
import { OwlError } from '@owl/rpc';

// Long enough for a config that reads a few files; an ecosystem file that hangs is refused.
const EVALUATE_TIMEOUT_MS = 15_000;

// Runs in the child: imports the file (CommonJS or ESM alike) and writes its export, as JSON, to fd 3,
// so whatever the file prints on stdout cannot corrupt the result.
const LOADER = `
const { writeSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
import(pathToFileURL(process.argv[1]).href).then(async (loaded) => {
  let value = loaded.default ?? loaded;
  if (typeof value === 'function') value = await value();
  writeSync(3, JSON.stringify(value ?? null));
}).catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
`;

/**
 * Evaluates a JavaScript ecosystem file (`module.exports = { apps: [...] }`) in a child node
 * process, never in owl's own: the file is code, and may print, exit or hang.
 */
export function evaluateEcosystem(file: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', LOADER, file], {
      cwd: path.dirname(file),
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      timeout: EVALUATE_TIMEOUT_MS,
    });
    let stderr = '';
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdio[3]?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const why = signal ? `stopped by ${signal} after ${EVALUATE_TIMEOUT_MS} ms` : `exited ${code}: ${stderr.trim().split('\n')[0] ?? ''}`;
        reject(new OwlError('OWL_CONFIG_INVALID', `${file}: evaluating the ecosystem file failed (${why})`, { data: { file } }));
        return;
      }
      try {
        resolve(JSON.parse(output));
      } catch {
        reject(new OwlError('OWL_CONFIG_INVALID', `${file}: the ecosystem file exported nothing JSON can hold`, { data: { file } }));
      }
    });
  });
}
