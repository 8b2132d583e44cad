// Why owl misses a goal, as found by profiling the daemon and CLI on the bench machine (Node 20,
// 2 cores). Printed under "Goals missed" only for rows that missed in the run being reported.
export const DIAGNOSES = {
  'cli.few':
    'Both CLIs first pay Node\'s own start (the floor row, ~100-120 ms here), so the ratio is bounded by it; above the floor owl spends well under half of PM2 (see Notes). `owl ls` now talks to the local socket through a small WebSocket client over node:net (no ws, http, https, tls, crypto or zlib loaded) and loads 112 KiB of its bundle instead of 173 KiB. What is left above the floor is parsing that code, the call and printing; meeting 0.6x with a ~120 ms floor needs the whole CLI under ~65 ms above Node\'s start: a snapshot of the CLI (node --snapshot-blob) or a smaller read-path entry point would be next.',
  'cli.many':
    'As for 10 apps: the floor dominates; the part above it grows with the rows to print.',
  'cold.start':
    'owld already signals readiness on an inherited pipe (no polling) and its ready line names its planes (no ping after it). Most of the remaining time is two Node starts back to back (the CLI, then owld: ~120 ms each here) plus owld loading zod, the contract, jose and ws before it listens; PM2\'s ping pays the same two starts, which bounds the ratio well above 0.5x on this machine. Next: owld listening before it loads what only calls need (zod, jose), and a CLI that spawns owld before loading anything else.',
  'start.many':
    'The floor row shows how much of this is the Node processes themselves booting on 2 cores; the goal is owl\'s part above it. owl launches up to 8 apps at once; each launch resolves the executable, records the launch (one O_DSYNC append to launches.jsonl, shared by launches recorded together) before it spawns, reads /proc start time and executable, and each fork() of the daemon costs ~20 ms (profiled). This figure swings with the machine\'s load (the floor itself ran 5.8 s in one full run and 7.8 s in the next); spawning from a small helper process instead of the daemon would cut the part above the floor further.',
  'crash.restart':
    'The goal is owl\'s part above the floor (the bench spawning the app itself): the exit is seen at once, the relaunch is recorded with one O_DSYNC append to launches.jsonl (intent before effect, ~2 ms on a quiet disk) and spawned with no timer; traced inside owld, exit to spawn call is ~18-24 ms at load 10-50 and the write dominates. What remains above the floor is that write, the fork of a ~60 MiB daemon (~5-20 ms), and the event fan-out; see Notes for this run.',
  'idle.rss':
    'The floor row (a bare Node with owld\'s flags, the built-ins it needs and an idle ws server) is ~49-52 MiB, and 0.75x of PM2 lies about there, so the goal is owl within 10% of that floor. Above it, with 100 apps (docs/performance.md has the profile): a live V8 heap of ~10.5 MiB (the daemon\'s code and its compiled functions, 100 apps\' runners, specs, log tails and metric rings) against a few MiB for the floor, heap slack, and malloc\'d memory outside the heap. Already done: --optimize-for-size, zod without its locales, systeminformation only when host details are asked for, every method\'s schemas built on first use, no closures per app (live heap 11.9 -> 10.5 MiB, not visible in RSS within the noise). Left: bundling the daemon without keepNames (~256 bytes a named function), an owld that loads jose, zod and ws only when a call needs them.',
  'log.rate':
    'Under owl the app writes straight to its log file (one write syscall per line, the app being the bottleneck) while owl\'s log tailer reads the file back into its in-memory ring on the same 2 cores; under PM2 the app writes into a pipe its daemon drains into the file.',
  'log.lost': 'Lines were lost: see the log throughput run logs and the rotation code.',
  'kill.survive': 'Apps died with the daemon: they must be spawned detached with output to files.',
  'kill.back': 'An app the operator wanted running was not back after the daemon: the intent on disk was stale, or a launch in flight was lost.',
  'kill.dup': 'A second copy was started after the daemon came back: adoption did not recognize the running process.',
};
