import type { Handlers } from '@owl/rpc/server';
import type { auditMethods } from '@owl/rpc/contract';
import type { AuditLog } from '../audit/audit-log.ts';
import { verifyAuditFiles } from '../audit/verify-audit.ts';

type AuditHandlers = Pick<Handlers, keyof typeof auditMethods>;

export function createAuditHandlers(audit: AuditLog): AuditHandlers {
  return {
    // Writes wait (queued in memory) while the files are read, so the daemon's own tail is
    // exactly the last line on disk and records removed from the end are caught too.
    'audit.verify': () => audit.exclusive((tail) => verifyAuditFiles(audit.file, { expectedTail: tail })),
  };
}
