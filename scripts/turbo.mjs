// Runs the workspace's turbo with its anonymous telemetry off, so a fresh machine sees owl's
// output and not turbo's telemetry notice (and nothing is reported). A script rather than
// `TURBO_TELEMETRY_DISABLED=1 turbo ...` in package.json because npm scripts run in cmd.exe on
// Windows, which has no such syntax. An explicit TURBO_TELEMETRY_DISABLED in the environment wins.
// Usage: node scripts/turbo.mjs run build [turbo options]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const manifest = require.resolve('turbo/package.json');
const turbo = path.join(path.dirname(manifest), require(manifest).bin.turbo);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: process.env.TURBO_TELEMETRY_DISABLED ?? '1' };
const result = spawnSync(process.execPath, [turbo, ...process.argv.slice(2)], { stdio: 'inherit', env });
if (result.error) throw result.error;
process.exitCode = result.status ?? 1;
