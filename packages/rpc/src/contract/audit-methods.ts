import * as z from 'zod';
import { defineMethod, lazySchema } from './define-method.ts';

export const AUDIT_PROBLEM_KINDS = ['edited', 'deleted', 'inserted', 'malformed'] as const;
export type AuditProblemKind = (typeof AUDIT_PROBLEM_KINDS)[number];

/** One broken link of the audit chain, located by file, line (1-based) and record seq. */
export const auditProblemSchema = lazySchema(() => z.object({
  file: z.string(),
  line: z.number().int(),
  /** The seq the line claims; null when the line is not a record at all. */
  seq: z.number().int().nullable(),
  kind: z.enum(AUDIT_PROBLEM_KINDS),
  message: z.string(),
}));
export type AuditProblem = z.output<ReturnType<typeof auditProblemSchema>>;

export const auditVerifyResultSchema = lazySchema(() => z.object({
  ok: z.boolean(),
  /** Records read across every kept file. */
  records: z.number().int(),
  /** The files checked, oldest first (audit.log.N ... audit.log). */
  files: z.array(z.string()),
  problems: z.array(auditProblemSchema()),
}));
export type AuditVerifyResult = z.output<ReturnType<typeof auditVerifyResultSchema>>;

export const auditMethods = {
  'audit.verify': defineMethod({
    params: () => z.strictObject({}),
    result: auditVerifyResultSchema,
    role: 'admin',
    summary: 'Checks the hash chain of audit.log and its rotated files; reports each edited, deleted or inserted record.',
  }),
} as const;
