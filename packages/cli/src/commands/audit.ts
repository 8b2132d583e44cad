import path from 'node:path';
import type { Command } from 'commander';
import { OwlError } from '@owl/rpc';
import type { AuditProblem, AuditVerifyResult } from '@owl/rpc/contract';
import { globalOptions, type GlobalOptions } from '../connect/global-options.ts';
import { connectTarget, withClient } from '../connect/with-client.ts';
import { printJson, printLine } from '../output/print.ts';

interface Verified {
  result: AuditVerifyResult;
  /** The daemon also checks the end of the chain against what it wrote; the files alone cannot. */
  by: 'daemon' | 'files';
}

/** Asks the daemon; when the local daemon is down, checks the files of --home directly. */
async function verify(globals: GlobalOptions): Promise<Verified> {
  try {
    return { result: await withClient(globals, (client) => client.call('audit.verify', {})), by: 'daemon' };
  } catch (error) {
    const target = connectTarget(globals);
    if (!(error instanceof OwlError && error.code === 'OWL_DAEMON_UNREACHABLE' && target.kind === 'local')) throw error;
    // Loaded only here: the verifier needs node built-ins only, not the daemon.
    const { verifyAuditFiles } = await import('@owl/daemon/audit');
    return { result: await verifyAuditFiles(path.join(target.home, 'audit.log')), by: 'files' };
  }
}

function formatProblem(problem: AuditProblem): string {
  const seq = problem.seq === null ? '' : ` seq ${problem.seq}`;
  return `${problem.file}:${problem.line}${seq} ${problem.kind}: ${problem.message}`;
}

function summary({ result, by }: Verified): string {
  const files = `${result.files.length} file${result.files.length === 1 ? '' : 's'}`;
  const source = by === 'files' ? ' (daemon not running: checked the files only)' : '';
  return `audit chain intact: ${result.records} records in ${files}${source}`;
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log (audit.log)');

  audit
    .command('verify')
    .description('check the hash chain; exit 1 with one line per edited, deleted or inserted record')
    .action(async (_options, command: Command) => {
      const globals = globalOptions(command);
      const verified = await verify(globals);
      const { result } = verified;
      if (globals.json) printJson(result);
      else if (result.ok) printLine(summary(verified));
      else result.problems.forEach((problem) => printLine(formatProblem(problem)));
      if (!result.ok) {
        const count = result.problems.length;
        throw new OwlError('OWL_AUDIT_BROKEN', `audit chain broken: ${count} problem${count === 1 ? '' : 's'} in ${result.records} records`, {
          data: { problems: count },
        });
      }
    });
}
