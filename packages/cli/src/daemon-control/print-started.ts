import type { StartedDaemon } from './start-daemon.ts';
import { describePlane } from './local-planes.ts';
import { printJson, printLine } from '../output/print.ts';

/** What `owl daemon start|restart` prints once the daemon answers. */
export async function printStarted(home: string, started: StartedDaemon, json: boolean | undefined, verb: string): Promise<void> {
  // The ready line names the planes; a daemon found by polling instead is asked.
  const planes = started.planes ?? (await (await import('./read-local-planes.ts')).readLocalPlanes(home));
  if (json) return printJson({ pid: started.pid, version: started.version, home, planes });
  printLine(`owl daemon ${verb} (pid ${started.pid}, home ${home})`);
  for (const plane of planes) if (plane.kind === 'tcp') printLine(`plane    ${describePlane(plane)}`);
}
