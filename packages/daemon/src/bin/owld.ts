import { EXIT, exitCodeFor, OwlError, type OwlErrorCode } from '@owl/rpc';
import { resolveHome } from '../home/owl-home.ts';
import { parseOwldArguments } from '../config/owld-arguments.ts';
import { signalReady, takeReadyFd, type ReadyMessage } from '../readiness/ready-signal.ts';
import { takeHome } from '../readiness/take-home.ts';
import { OWL_VERSION } from '../version.ts';

// What a service manager or the starting CLI acts on; any other start-up failure (config, lock, plane) is EXIT.failed.
const OWLD_EXIT_CAUSES: ReadonlySet<OwlErrorCode> = new Set(['OWL_USAGE', 'OWL_DAEMON_RUNNING']);

// Taken before anything is spawned: the apps never see it. Null once its one line is written.
let readyFd = takeReadyFd();

function ready(planes: ReadyMessage['planes']): void {
  if (readyFd !== null) signalReady(readyFd, { pid: process.pid, version: OWL_VERSION, planes });
  readyFd = null;
}

/** `owld [--home DIR] [--foreground] [--tcp [host:]port] [--tls | --tls-cert FILE --tls-key FILE]`: the daemon process itself. */
async function main(argv: string[]): Promise<void> {
  const options = parseOwldArguments(argv);
  const home = resolveHome(options.home);
  // Config, lock and (with no TCP plane to set up) the socket, before the bulk of owld loads:
  // a refusal (bad config, rival daemon) comes within Node's start, and calls that connect
  // early are held until the daemon serves them instead of being refused.
  const taken = await takeHome(home, options.planes, true);
  // A SIGTERM/SIGINT while the rest loads and restores is a clean shutdown once that is done,
  // not Node's default exit halfway through a restore.
  let stopAsked = false;
  const askStop = (): void => void (stopAsked = true);
  process.on('SIGTERM', askStop).on('SIGINT', askStop);
  const { runDaemon } = await import('../daemon.ts');
  const daemon = await runDaemon({ home, foreground: options.foreground, planes: options.planes }, taken).finally(() => process.off('SIGTERM', askStop).off('SIGINT', askStop));
  if (stopAsked) void daemon.shutdown();
  // Ready means served: runDaemon resolves once the apps are restored and the management plane
  // answers calls (and the TCP plane listens), so a caller after `owl daemon start` never waits.
  ready(daemon.planes());
  await daemon.closed;
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    // The starting CLI learns why from the daemon itself, as it would have learned it was ready.
    if (readyFd !== null) {
      const failure = error instanceof OwlError ? { code: error.code, message, data: error.data } : { code: 'OWL_INTERNAL', message };
      signalReady(readyFd, { error: failure });
    }
    process.stderr.write(`owld: ${message}\n`);
    process.exit(error instanceof OwlError && OWLD_EXIT_CAUSES.has(error.code) ? exitCodeFor(error.code) : EXIT.failed);
  },
);
