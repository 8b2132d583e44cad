// The main job: a daemon up (in $OWL_HOME or ~/.owl) with the small demo workload, shown in `owl ls`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const owl = `${root}packages/cli/dist/owl.mjs`;

function run(args, { allowFailure = false } = {}) {
  const result = spawnSync(process.execPath, [owl, ...args], { stdio: 'inherit', cwd: `${root}examples` });
  if (result.status !== 0 && !allowFailure) process.exit(result.status ?? 1);
  return result.status;
}

// CPU and memory come from the daemon's metrics tick (every 5 s): wait for the first one.
function waitForFirstMetrics() {
  const deadline = Date.now() + 8_000;
  while (Date.now() < deadline) {
    const result = spawnSync(process.execPath, [owl, 'ls', '--json'], { encoding: 'utf8' });
    const rows = result.status === 0 ? JSON.parse(result.stdout) : [];
    if (rows.length > 0 && rows.every((row) => row.pid === null || row.memory !== null)) return;
    spawnSync(process.execPath, ['-e', 'setTimeout(() => {}, 250)']);
  }
}

// Already running is fine for a demo: reuse that daemon.
run(['daemon', 'start'], { allowFailure: true });
run(['apply', '-f', 'owl.config.json']);
waitForFirstMetrics();
run(['ls']);
console.log('\nTry: owl logs -f, owl events -f, owl metrics, owl describe flaky-worker, owl daemon stop --with-apps');
console.log(`(owl is ${owl}; alias owl="node ${owl}")`);
