// Measures roost's content-defined chunking: chunk sizes, how many chunks an edit changes, and
// the single-thread cut+sha256 throughput (which decides whether hashing needs worker threads).
// Run: node bench/roost-chunking.mjs  (bundles the TypeScript source with esbuild first)
import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(path.join(tmpdir(), 'owl-roost-bench-'));
await build({ entryPoints: [`${root}packages/daemon/src/roost/chunking.ts`], outfile: `${out}/chunking.mjs`, bundle: true, format: 'esm', platform: 'node', logLevel: 'warning' });
const chunkingUrl = pathToFileURL(`${out}/chunking.mjs`).href;
const { chunkStream } = await import(chunkingUrl);

async function chunksOf(data) {
  async function* pieces() {
    for (let offset = 0; offset < data.length; offset += 1 << 20) yield data.subarray(offset, offset + (1 << 20));
  }
  const chunks = [];
  for await (const chunk of chunkStream(pieces())) chunks.push(chunk.hash);
  return chunks;
}

const size = 64 * 1024 * 1024;
const original = randomBytes(size);
const started = process.hrtime.bigint();
const before = await chunksOf(original);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(`file ${size / 1048576} MiB: ${before.length} chunks, mean ${(size / before.length / 1024).toFixed(1)} KiB; cut+sha256 ${(size / 1048576 / seconds).toFixed(0)} MiB/s on one thread`);

const known = new Set(before);
const edits = { 'insert 14 bytes': (data, at) => Buffer.concat([data.subarray(0, at), Buffer.from('inserted line\n'), data.subarray(at)]), 'delete 100 bytes': (data, at) => Buffer.concat([data.subarray(0, at), data.subarray(at + 100)]), 'overwrite 1 byte': (data, at) => { const copy = Buffer.from(data); copy[at] ^= 0xff; return copy; } };
for (const [name, edit] of Object.entries(edits)) {
  const counts = [];
  for (let round = 0; round < 20; round += 1) {
    const at = Math.floor(Math.random() * (size - 200));
    counts.push((await chunksOf(edit(original, at))).filter((hash) => !known.has(hash)).length);
  }
  counts.sort((a, b) => a - b);
  console.log(`${name} at a random offset (20 rounds): new chunks min ${counts[0]}, median ${counts[10]}, max ${counts[19]}`);
}

// Worker threads: the same 4 x 32 MiB of files cut and hashed on one thread, then split over
// 2 workers (this machine has 2 cores); bytes are handed over as transferable copies.
const files = Array.from({ length: 4 }, () => randomBytes(32 * 1024 * 1024));
const total = files.length * 32;
let begun = process.hrtime.bigint();
for (const file of files) await chunksOf(file);
const oneThread = total / (Number(process.hrtime.bigint() - begun) / 1e9);
const workerSource = `
  const { parentPort, workerData } = await import('node:worker_threads');
  const { chunkStream } = await import(workerData.url);
  parentPort.on('message', async (buffer) => {
    const data = Buffer.from(buffer);
    async function* one() { for (let o = 0; o < data.length; o += 1 << 20) yield data.subarray(o, o + (1 << 20)); }
    let count = 0;
    for await (const chunk of chunkStream(one())) count += chunk.size > 0 ? 1 : 0;
    parentPort.postMessage(count);
  });`;
const workers = [0, 1].map(() => new Worker(new URL(`data:text/javascript,${encodeURIComponent(workerSource)}`), { workerData: { url: chunkingUrl } }));
const run = (worker, file) => new Promise((resolve) => { worker.once('message', resolve); const copy = new Uint8Array(file).buffer; worker.postMessage(copy, [copy]); });
begun = process.hrtime.bigint();
await Promise.all([0, 1].map(async (index) => { for (const file of files.filter((_, n) => n % 2 === index)) await run(workers[index], file); }));
const twoWorkers = total / (Number(process.hrtime.bigint() - begun) / 1e9);
for (const worker of workers) await worker.terminate();
rmSync(out, { recursive: true, force: true });
console.log(`4 x 32 MiB: one thread ${oneThread.toFixed(0)} MiB/s, 2 worker threads ${twoWorkers.toFixed(0)} MiB/s (${(twoWorkers / oneThread).toFixed(2)}x)`);
