// The part of the audit module a client may load without the daemon: reading and verifying
// audit files needs node built-ins only.
export { verifyAuditFiles, type VerifyAuditOptions } from './verify-audit.ts';
export { listAuditFiles } from './audit-files.ts';
export { canonicalJson } from './canonical-json.ts';
export { GENESIS_HASH, hashRecord, sealRecord, parseAuditLine, type AuditRecord, type ChainTail } from './audit-record.ts';
