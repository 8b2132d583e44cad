import type { LogLine } from '@owl/rpc/contract';

export interface LogLineFormat {
  /** Prefix every line with its app (PM2's `app|`): several apps are shown. */
  withApp: boolean;
  /** Prefix every line with the time the daemon read it. */
  timestamps: boolean;
}

/**
 * One human line of `owl logs`: `[at ]app| text`, where app is `name` or `name#i` for
 * instance i > 0. With one app shown, only lines of instances other than 0 are labelled.
 *
 * @example
 * formatLogLine({ app: 'web', instance: 0, stream: 'out', line: 'hi', at: '...' }, { withApp: true, timestamps: false }); // 'web| hi'
 */
export function formatLogLine(line: LogLine, format: LogLineFormat): string {
  const label = line.instance === 0 ? line.app : `${line.app}#${line.instance}`;
  const prefix = format.withApp || line.instance !== 0 ? `${label}| ` : '';
  return `${format.timestamps ? `${line.at} ` : ''}${prefix}${line.line}`;
}
