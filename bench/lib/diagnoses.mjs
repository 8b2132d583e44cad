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
    'The floor row shows how much of this is the Node processes themselves booting on 2 cores. Above it, owl now launches up to 8 apps at once (it used to await each launch in turn; that change took this figure from about 0.80x to 0.63-0.71x); each launch still resolves the executable, spawns, reads /proc start time and executable and queues a state.json write (writes coalesce), and each fork() of the ~90 MB daemon costs ~20 ms (profiled). Spawning from a small helper process instead of the daemon, and fewer /proc reads per launch, would cut the part above the floor further.',
  'crash.restart':
    'owl\'s own part is small (the exit is seen at once and, after a healthy run, relaunched with no delay; see Notes for its time above the floor); the floor row, Node starting the app again, is most of the figure, so 0.6x of PM2 would need the replacement to run sooner than Node itself can start it. Not reachable for Node apps on this machine short of keeping a pre-spawned standby process.',
  'idle.rss':
    'owld starts at about 62 MiB (PM2\'s daemon 57; a bare idle Node is about 40) and grows by 20-30 MiB with 100 apps where PM2 grows by about 5. Heap snapshots: ~24 MB live with 100 apps, of which ~8 MB were metric history rings preallocated per app (~80 KB each; they now grow with what was written, see docs/performance.md), plus per-app log rings; the metrics tick keeps allocating, so the heap stays committed above what is live (capping the young generation at 1 MB, now done, took ~25 MiB off). Idle log files are now watched (inotify) instead of polled every 500 ms, which took idle CPU from about 1.9x of PM2 to about 1x but left RSS where it was. 0.75x is about 48 MiB, below owld\'s own start-up RSS: it would take loading much less code at boot (the zod contract schemas are the largest part left; systeminformation, TLS, Prometheus and cluster code already load on first use).',
  'log.rate':
    'Under owl the app writes straight to its log file (one write syscall per line, the app being the bottleneck) while owl\'s log tailer reads the file back into its in-memory ring on the same 2 cores; under PM2 the app writes into a pipe its daemon drains into the file.',
  'log.lost': 'Lines were lost: see the log throughput run logs and the rotation code.',
  'kill.survive': 'Apps died with the daemon: they must be spawned detached with output to files.',
  'kill.back': 'An app the operator wanted running was not back after the daemon: the intent on disk was stale, or a launch in flight was lost.',
  'kill.dup': 'A second copy was started after the daemon came back: adoption did not recognize the running process.',
};
