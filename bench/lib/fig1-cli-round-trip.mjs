// Figure 1: one CLI read round trip (`owl ls --json` / `pm2 jlist`), spawn to exit, and bare
// `node -e 0` timed the same way as the floor every Node CLI pays.
import { runTimed } from './processes.mjs';

async function timeCalls(what, { command, args, env }, calls, record) {
  // One uncounted call first, so the figure is the warm-cache round trip a user sees.
  for (let call = -1; call < calls; call += 1) {
    const result = await runTimed(command, args, { env });
    if (result.code !== 0) throw new Error(`${what} exited with ${result.code}: ${result.stderr.trim()}`);
    if (call >= 0) record(result.ms);
  }
}

export async function measureListRoundTrip(tool, key, calls, results) {
  await timeCalls(`${tool.label} list`, tool.listCommand(), calls, (ms) => results.add(key, tool.label, ms));
}

export async function measureNodeFloor(label, calls, results) {
  const floor = { command: process.execPath, args: ['-e', '0'], env: process.env };
  await timeCalls('node -e 0', floor, calls, (ms) => results.add('cli.floor', label, ms));
}
