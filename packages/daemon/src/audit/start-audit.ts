import path from 'node:path';
import type { EventBus } from '../events/event-bus.ts';
import type { DaemonLog } from '../daemon-log/daemon-log.ts';
import { AuditLog, type AuditLogOptions } from './audit-log.ts';
import type { HomeHealth } from '../home/home-health.ts';

/**
 * Opens audit.log and records every event of the bus from now on. A torn last line left by a
 * crash is cut off and reported as an `audit_truncated` event (itself the first new record).
 */
export async function startAudit(
  file: string,
  events: EventBus,
  log: DaemonLog,
  options: Omit<AuditLogOptions, 'file' | 'onError' | 'onRecovered'> & { health?: HomeHealth } = {},
): Promise<AuditLog> {
  const { health, ...auditOptions } = options;
  const { audit, repair } = await AuditLog.open({
    ...auditOptions,
    file,
    onError: (error) => {
      health?.failed(file, error);
      log.error(`cannot write ${file}: ${String(error)}; records are held back and retried`);
    },
    onRecovered: () => {
      health?.recovered(file);
      log.info(`${file} written again`);
    },
  });
  events.listen((event) => audit.append(event));
  if (repair) {
    const message = `torn last line of ${path.basename(repair.file)} (${repair.removedBytes} bytes, a write cut short by a crash) was truncated`;
    log.warn(message);
    events.emit({ type: 'audit_truncated', data: { file: path.basename(repair.file), removedBytes: repair.removedBytes, message } });
  }
  return audit;
}
