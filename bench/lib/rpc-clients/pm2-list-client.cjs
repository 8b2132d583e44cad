// The PM2 counterpart: PM2's programmatic API (pm2.connect + pm2.list, i.e. its axon RPC
// `getMonitorData`), sequential calls for DURATION ms. PM2_HOME comes from the environment and
// must be set before pm2 is required (it reads it at load time). Prints latencies as JSON.
// Usage: node pm2-list-client.cjs <pm2 module dir> <durationMs>
'use strict';
const [moduleDir, durationMs] = process.argv.slice(2);
const pm2 = require(moduleDir);

const connect = () => new Promise((resolve, reject) => pm2.connect((error) => (error ? reject(error) : resolve())));
const list = () => new Promise((resolve, reject) => pm2.list((error, rows) => (error ? reject(error) : resolve(rows))));

async function main() {
  await connect();
  const WARM_UP_CALLS = 50;
  for (let call = 0; call < WARM_UP_CALLS; call += 1) await list();
  const latencies = [];
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Number(durationMs)) * 1000000n;
  let rows = 0;
  while (process.hrtime.bigint() < deadline) {
    const before = process.hrtime.bigint();
    rows = (await list()).length;
    latencies.push(Number(process.hrtime.bigint() - before) / 1e6);
  }
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ latencies, elapsedMs, rows }));
  pm2.disconnect();
}
main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
