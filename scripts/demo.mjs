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

// Already running is fine for a demo: reuse that daemon.
run(['daemon', 'start'], { allowFailure: true });
run(['apply', '-f', 'owl.config.json']);
run(['ls']);
console.log('\nTry: owl logs heartbeat -f, owl events -f, owl describe flaky-worker, owl daemon stop --with-apps');
console.log(`(owl is ${owl}; alias owl="node ${owl}")`);
