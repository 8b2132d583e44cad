// The figures the report shows: one row each, with its unit, how runs are combined and its goal.
import { SETTINGS } from './settings.mjs';

const { fewApps, manyApps, killApps, idleMs, floodMs, clusterKills, simNodes, simMs } = SETTINGS;

// goal: ratioMax (owl/PM2 at most), ratioMin (at least), owlEquals (owl's figure exactly), owlMax (owl's figure at most);
// against the row's floor (floorKey, owl's own turns): aboveFloorMax (owl minus its floor at most, in the row's unit),
// aboveFloorShareMax (owl's part above the floor at most this share of the floor), floorShareMax (with ratioMax: where
// ratioMax x PM2 lies below the floor, owl at most this multiple of the floor instead).
export const ROWS = [
  { key: 'cli.floor', figure: 1, label: 'CLI round trip floor: bare `node -e 0`', unit: 'ms', shared: true },
  { key: 'cli.few', figure: 1, label: `CLI round trip, ${fewApps} apps (\`owl ls --json\` / \`pm2 jlist\`)`, unit: 'ms', goal: { ratioMax: 0.6 }, floorKey: 'cli.floor' },
  { key: 'cli.many', figure: 1, label: `CLI round trip, ${manyApps} apps`, unit: 'ms', goal: { ratioMax: 0.6 }, floorKey: 'cli.floor' },
  { key: 'cold.start', figure: 2, label: 'Cold start until the daemon answers (`owl daemon start` / `pm2 ping`)', unit: 'ms', goal: { ratioMax: 0.5 } },
  { key: 'cold.rss', figure: 2, label: 'Daemon RSS 1 s after cold start', unit: 'MiB' },
  { key: 'start.floor', figure: 3, label: `Start ${manyApps} apps floor: the bench spawns ${manyApps} \`node marker-app.cjs\`, one per core at a time, until all ran`, unit: 'ms', shared: true },
  { key: 'start.many', figure: 3, label: `Start ${manyApps} apps until every app's code ran`, unit: 'ms', goal: { aboveFloorShareMax: 0.1 }, floorKey: 'start.floor' },
  { key: 'crash.floor', figure: 4, label: 'Crash to restart floor: the bench as the simplest supervisor, kill -9 of its own `node marker-app.cjs`, spawned again on its exit, until the new code runs', unit: 'ms', shared: true },
  { key: 'crash.restart', figure: 4, label: 'Crash to restart: kill -9 until the new process\'s code runs', unit: 'ms', goal: { aboveFloorMax: 10 }, floorKey: 'crash.floor' },
  { key: 'idle.floor', figure: 5, label: 'Idle RSS floor: bare Node with owld\'s flags, the built-ins it needs and an idle ws server on a unix socket', unit: 'MiB', shared: true },
  { key: 'idle.rss', figure: 5, label: `Daemon RSS, ${manyApps} apps, ${idleMs / 1000} s idle (median of 1 s samples)`, unit: 'MiB', goal: { ratioMax: 0.75, floorShareMax: 1.1 }, floorKey: 'idle.floor' },
  { key: 'idle.cpu', figure: 5, label: `Daemon CPU, ${manyApps} apps, ${idleMs / 1000} s idle`, unit: '% of a core' },
  { key: 'log.rate', figure: 6, label: `Log throughput, one app flooding ${floodMs / 1000} s (higher is better)`, unit: 'lines/s', goal: { ratioMin: 1.2 } },
  { key: 'log.floor', figure: 6, label: 'Log throughput floor: the same app writing to a file with no supervisor', unit: 'lines/s', shared: true },
  { key: 'log.share', figure: 6, label: 'Log throughput as a share of its floor (tool / floor)', unit: 'x of floor', derived: { of: 'log.rate', over: 'log.floor' }, goal: { owlMin: 0.9 } },
  { key: 'log.lost', figure: 6, label: 'Log lines lost (worst run)', unit: 'lines', aggregate: 'max', goal: { owlEquals: 0 } },
  { key: 'kill.survive', figure: 7, label: `Daemon kill -9 with ${killApps} apps, \`restart all\` in flight: apps with a live process (worst run)`, unit: `of ${killApps}`, aggregate: 'min' },
  { key: 'kill.dup', figure: 7, label: 'After the daemon is back: duplicate app processes (worst run)', unit: 'processes', aggregate: 'max', goal: { owlEquals: 0 } },
  { key: 'kill.back', figure: 7, label: 'After the daemon is back: apps running (worst run)', unit: `of ${killApps}`, aggregate: 'min', goal: { owlEquals: killApps } },
  { key: 'rpc.rate', figure: 8, label: 'Local RPC, one client, list call: calls/s (higher is better)', unit: 'calls/s' },
  { key: 'rpc.p50', figure: 8, label: 'Local RPC list call: p50 latency', unit: 'ms' },
  { key: 'rpc.p99', figure: 8, label: 'Local RPC list call: p99 latency', unit: 'ms' },
  { key: 'cluster.failover.p50', figure: 9, label: `Cluster failover after kill -9 of the leader (3 daemons, lease 3 s): p50 of ${clusterKills} kills`, unit: 'ms', goal: { owlMax: 3_000 } },
  { key: 'cluster.failover.p95', figure: 9, label: `Cluster failover after kill -9 of the leader: p95 of ${clusterKills} kills`, unit: 'ms' },
  { key: 'cluster.stepdown', figure: 9, label: '`owl cluster step-down` until another node leads (with the CLI start)', unit: 'ms' },
  { key: 'cluster.handover', figure: 9, label: 'Graceful step-down: lease released until another node leads', unit: 'ms', goal: { owlMax: 1_000 } },
  { key: 'cluster.sim.cpu', figure: 10, label: `Leader daemon CPU while ${simNodes} simulated nodes heartbeat and push summaries (${simMs / 1000} s)`, unit: '% of a core' },
  { key: 'cluster.sim.ops', figure: 10, label: `Redis commands/s with ${simNodes} nodes (simulator + leader)`, unit: 'cmd/s' },
  { key: 'cluster.sim.kib', figure: 10, label: `Redis traffic with ${simNodes} nodes, in + out`, unit: 'KiB/s' },
  { key: 'cluster.sim.unfolded', figure: 10, label: 'Summaries the leader had not folded yet at the end (worst run)', unit: 'entries', aggregate: 'max' },
];
