// Why owl misses a goal, as found by profiling the daemon and CLI on the bench machine (Node 20,
// 2 cores). Printed under "Goals missed" only for rows that missed in the run being reported.
export const DIAGNOSES = {
  'cli.few':
    'Both CLIs first pay Node\'s own start (the floor row, ~100 ms here), so the ratio is bounded by it; above the floor owl spends well under half of PM2 (see Notes). Profiled (minified build): the rest is loading the Node built-ins ws pulls in (http, net, crypto, url: ~15 ms), parsing the CLI bundle and the ws/RPC-client chunk (~20 ms), GC and the call itself. Meeting 0.6x means roughly 40 ms above the floor: a read-only fast path that talks to the socket without ws and http (or a much lighter WebSocket client), loading fewer built-ins.',
  'cli.many':
    'As for 10 apps: the floor dominates; the part above it grows with the rows to print.',
  'cold.start':
    'Profiled before the fix in this run: about 400 ms pass between the CLI starting and owld\'s first log line (the CLI\'s own start, a ping to a socket that is not there yet, spawning owld, owld compiling its bundle), and the metrics service\'s first host sample (systeminformation probes, some with spawnSync) used to block owld just as the first ping arrived; owld now starts metrics 1 s after boot, which took cold start from about 1.0x to 0.73-0.85x. To reach 0.5x: check the pid lock instead of pinging before spawning, let owld signal readiness over an inherited fd instead of being polled every 25 ms, and load less code before listening (TLS, Prometheus, zod schemas only when used).',
  'start.many':
    'The floor row shows how much of this is the Node processes themselves booting on 2 cores; the goal is owl\'s part above it. owl launches up to 8 apps at once; each launch resolves the executable, records the launch (state.json, coalesced) before it spawns, reads /proc start time and executable, and each fork() of the daemon costs ~20 ms (profiled). Spawning from a small helper process instead of the daemon, and fewer /proc reads per launch, would cut the part above the floor further.',
  'crash.restart':
    'The goal is owl\'s part above the floor (the bench spawning the app itself): the exit is seen at once and, after a healthy run, the relaunch is recorded on disk (intent before effect) and spawned with no delay; see Notes for the part above the floor in this run.',
  'idle.rss':
    'The floor row (a bare Node with owld\'s flags, the built-ins it needs and an idle ws server) is ~52 MiB, and 0.75x of PM2 lies about there, so the goal is owl within 10% of that floor. Above it, with 100 apps (docs/performance.md has the profile): ~3.6 MiB zod and the contract\'s schemas (every method\'s params and result schemas are built when the contract loads), ~5.5 MiB per-app state (~55 KB an app: runner, spec, two log tails with a FileHandle and an inotify watch each, metric rings), the daemon\'s own code and heap slack. Already done: --optimize-for-size (the old generation had grown to 4x what is live: ~103 -> ~65 MiB), zod without its locales, systeminformation only when host details are asked for. Left: params schemas built per method on first call, one shared watcher for all log tails.',
  'log.rate':
    'Under owl the app writes straight to its log file (one write syscall per line, the app being the bottleneck) while owl\'s log tailer reads the file back into its in-memory ring on the same 2 cores; under PM2 the app writes into a pipe its daemon drains into the file.',
  'log.lost': 'Lines were lost: see the log throughput run logs and the rotation code.',
  'kill.survive': 'Apps died with the daemon: they must be spawned detached with output to files.',
  'kill.back': 'An app the operator wanted running was not back after the daemon: the intent on disk was stale, or a launch in flight was lost.',
  'kill.dup': 'A second copy was started after the daemon came back: adoption did not recognize the running process.',
};
