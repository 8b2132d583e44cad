import path from 'node:path';

export interface AppLogPaths {
  directory: string;
  out: string;
  err: string;
}

/** logs/<app>/out.log and err.log; further instances get out-<i>.log, err-<i>.log. */
export function appLogPaths(logsDirectory: string, app: string, instance: number): AppLogPaths {
  const directory = path.join(logsDirectory, app);
  const suffix = instance === 0 ? '' : `-${instance}`;
  return { directory, out: path.join(directory, `out${suffix}.log`), err: path.join(directory, `err${suffix}.log`) };
}
