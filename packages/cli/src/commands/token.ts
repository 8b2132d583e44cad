import type { Command } from 'commander';
import type { TokenInfo } from '@owl/rpc';
import { globalOptions } from '../connect/global-options.ts';
import { withClient } from '../connect/with-client.ts';
import { renderTable } from '../output/format.ts';
import { printJson, printLine } from '../output/print.ts';

function renderTokens(tokens: TokenInfo[]): string {
  if (tokens.length === 0) return 'no tokens; create one with: owl token create --role viewer';
  return renderTable(
    ['ID', 'NAME', 'ROLE', 'EXPIRES', 'STATUS'],
    tokens.map((token) => [token.id, token.name ?? '-', token.role, token.expiresAt, token.revoked ? 'revoked' : 'active']),
  );
}

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('issue, list and revoke JWTs for the TCP plane (admin)');

  token
    .command('create')
    .description('issue a token; it is printed once, alone on stdout, and never stored by the daemon')
    .requiredOption('--role <role>', 'viewer (reads), operator (changes apps) or admin (daemon and tokens)')
    .option('--ttl <duration>', 'lifetime, at most 365d', '30d')
    .option('--name <name>', 'who or what will use it; shown by owl token list')
    .action(async (options: { role: string; ttl: string; name?: string }, command: Command) => {
      const globals = globalOptions(command);
      const params = { role: options.role as TokenInfo['role'], ttl: options.ttl, ...(options.name === undefined ? {} : { name: options.name }) };
      const created = await withClient(globals, (client) => client.call('tokens.create', params));
      if (globals.json) {
        printJson({ id: created.id, name: created.name, role: created.role, expiresAt: created.expiresAt, token: created.token });
        return;
      }
      printLine(created.token);
      // The note goes to a terminal only: a script capturing stdout gets the token and nothing else.
      if (process.stderr.isTTY) {
        process.stderr.write(`token ${created.id} (${created.role}) expires ${created.expiresAt}; it is shown only now. Revoke it with: owl token revoke ${created.id}\n`);
      }
    });

  token
    .command('list')
    .description('list unexpired tokens: id, name, role, expiry (never the token itself)')
    .action(async (_options, command: Command) => {
      const globals = globalOptions(command);
      const tokens = await withClient(globals, (client) => client.call('tokens.list', {}));
      if (globals.json) printJson(tokens);
      else printLine(renderTokens(tokens));
    });

  token
    .command('revoke')
    .argument('<id>', 'token id, from owl token list')
    .description('revoke a token: refused from now on, also after the daemon restarts')
    .action(async (id: string, _options, command: Command) => {
      const globals = globalOptions(command);
      const result = await withClient(globals, (client) => client.call('tokens.revoke', { id }));
      if (globals.json) printJson(result);
      else printLine(`revoked token ${result.id}`);
    });
}
