// One owl management-plane client: sequential `apps.list` calls (one in flight) for
// DURATION ms after a warm-up. Prints latencies as JSON.
// Usage: node owl-list-client.mjs <socket> <durationMs>
import { openOwlRpc } from '../owl-rpc.mjs';

const [socket, durationMs] = process.argv.slice(2);
const WARM_UP_CALLS = 50;

const rpc = await openOwlRpc(socket);
async function callList() {
  const reply = await rpc.call('apps.list');
  if (reply.error) throw new Error(`apps.list failed: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

for (let call = 0; call < WARM_UP_CALLS; call += 1) await callList();
const latencies = [];
const started = process.hrtime.bigint();
const deadline = started + BigInt(Number(durationMs)) * 1_000_000n;
let rows = 0;
while (process.hrtime.bigint() < deadline) {
  const before = process.hrtime.bigint();
  rows = (await callList()).length;
  latencies.push(Number(process.hrtime.bigint() - before) / 1e6);
}
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ latencies, elapsedMs, rows }));
rpc.close();
