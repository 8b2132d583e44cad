// Reads flooded log files back: which of the numbered lines 0..count-1 arrived, how many
// lines were something else (torn or interleaved), how many came twice.
import { createReadStream } from 'node:fs';

async function scanFile(file, seen, tally) {
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'latin1', highWaterMark: 1 << 20 })) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) countLine(line, seen, tally);
  }
  if (rest !== '') countLine(rest, seen, tally);
}

function countLine(line, seen, tally) {
  const number = /^\d{9} x+$/.test(line) ? Number(line.slice(0, 9)) : -1;
  if (number < 0 || number >= seen.length) tally.foreign += 1;
  else if (seen[number]) tally.duplicated += 1;
  else seen[number] = 1;
}

export async function verifyFloodLog(files, count) {
  const seen = new Uint8Array(count);
  const tally = { foreign: 0, duplicated: 0 };
  for (const file of files) await scanFile(file, seen, tally);
  let arrived = 0;
  for (const flag of seen) arrived += flag;
  return { arrived, lost: count - arrived, ...tally };
}
