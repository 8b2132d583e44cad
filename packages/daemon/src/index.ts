export { runDaemon, type RunDaemonOptions, type RunningDaemon } from './daemon.ts';
export { resolveHome, homePaths, type HomePaths } from './home/owl-home.ts';
export { OWL_VERSION } from './version.ts';
