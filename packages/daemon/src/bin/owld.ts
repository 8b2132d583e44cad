import { OwlError } from '@owl/rpc';
import { runDaemon } from '../daemon.ts';
import { resolveHome } from '../home/owl-home.ts';
import { parsePlaneOverrides } from '../config/plane-overrides.ts';
import { signalReady, takeReadyFd } from '../readiness/ready-signal.ts';
import { OWL_VERSION } from '../version.ts';

/** `owld [--home DIR] [--foreground] [--tcp [host:]port] [--tls | --tls-cert FILE --tls-key FILE]`: the daemon process itself. */
async function main(argv: string[]): Promise<void> {
  // Taken before anything is spawned: the apps never see it.
  const readyFd = takeReadyFd();
  const homeIndex = argv.indexOf('--home');
  const home = resolveHome(homeIndex >= 0 ? argv[homeIndex + 1] : undefined);
  const daemon = await runDaemon({ home, foreground: argv.includes('--foreground'), planes: parsePlaneOverrides(argv) });
  // runDaemon resolves once the management plane listens: the starting CLI may call now.
  if (readyFd !== null) signalReady(readyFd, { pid: process.pid, version: OWL_VERSION });
  await daemon.closed;
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`owld: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof OwlError && error.code === 'OWL_DAEMON_RUNNING' ? 4 : 1);
  },
);
