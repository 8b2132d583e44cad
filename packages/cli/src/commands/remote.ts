import type { Command } from 'commander';
import { OwlError, isSha256Fingerprint } from '@owl/rpc';
import { globalOptions } from '../connect/global-options.ts';
import { renderTable } from '../output/format.ts';
import { printJson, printLine } from '../output/print.ts';
import { ALIAS_PATTERN, readRemotes, remotesFile, writeRemotes, type Remote } from '../remotes/remotes-file.ts';

interface AddOptions {
  token?: string;
  tokenStdin?: boolean;
  fingerprint?: string;
}

/** "host:9700" means ws://host:9700; http(s) URLs are accepted as their ws(s) twins. */
function normalizeUrl(value: string): string {
  const withScheme = value.includes('://') ? value : `ws://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new OwlError('OWL_USAGE', `<url>: expected ws://host:port or wss://host:port, received "${value}"`);
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) {
    throw new OwlError('OWL_USAGE', `<url>: expected a ws:// or wss:// URL, received "${value}"`);
  }
  return url.toString().replace(/\/$/, '');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function remoteFromFlags(url: string, options: AddOptions): Promise<Remote> {
  if (options.token !== undefined && options.tokenStdin) throw new OwlError('OWL_USAGE', 'give --token or --token-stdin, not both');
  const token = options.tokenStdin ? await readStdin() : options.token;
  const normalized = normalizeUrl(url);
  if (options.fingerprint !== undefined) {
    if (!isSha256Fingerprint(options.fingerprint)) {
      throw new OwlError('OWL_USAGE', `--fingerprint: expected the sha256 fingerprint (64 hex digits, colons allowed) shown by owl daemon status, received "${options.fingerprint}"`);
    }
    if (!/^(wss|https):/.test(normalized)) throw new OwlError('OWL_USAGE', `--fingerprint pins a TLS certificate: use a wss:// URL, received ${normalized}`);
  }
  return { url: normalized, ...(token ? { token } : {}), ...(options.fingerprint ? { fingerprint: options.fingerprint.toUpperCase() } : {}) };
}

export function registerRemoteCommands(program: Command): void {
  const remote = program.command('remote').description('name remote daemons (TCP plane URL + token) for --on <alias>');

  remote
    .command('add')
    .argument('<alias>', 'a short name for --on')
    .argument('<url>', 'the TCP plane, e.g. ws://10.0.0.5:9700 or wss://host:9700')
    .option('--token <token>', 'JWT from owl token create on that machine')
    .option('--token-stdin', 'read the token from stdin (keeps it out of shell history)')
    .option('--fingerprint <sha256>', "pin the daemon's TLS certificate (shown by owl daemon status there)")
    .description('add or replace a remote; stored in a 0600 file of your user (see owl remote list)')
    .action(async (alias: string, url: string, options: AddOptions, command: Command) => {
      const globals = globalOptions(command);
      if (!ALIAS_PATTERN.test(alias)) throw new OwlError('OWL_USAGE', `<alias>: expected 1-64 letters, digits, ".", "_" or "-", received "${alias}"`);
      const entry = await remoteFromFlags(url, options);
      const file = remotesFile();
      const remotes = readRemotes(file);
      const replaced = alias in remotes;
      remotes[alias] = entry;
      writeRemotes(remotes, file);
      if (globals.json) printJson({ alias, url: entry.url, fingerprint: entry.fingerprint ?? null, token: Boolean(entry.token), replaced });
      else printLine(`${replaced ? 'updated' : 'added'} remote ${alias} -> ${entry.url}; use it with: owl --on ${alias} ls`);
    });

  remote
    .command('list')
    .alias('ls')
    .description('list remotes: alias, URL, pinned fingerprint, whether a token is set (never the token)')
    .action((_options, command: Command) => {
      const globals = globalOptions(command);
      const file = remotesFile();
      const rows = Object.entries(readRemotes(file)).map(([alias, entry]) => ({ alias, url: entry.url, fingerprint: entry.fingerprint ?? null, token: Boolean(entry.token) }));
      if (globals.json) return printJson(rows);
      if (rows.length === 0) return printLine(`no remotes in ${file}; add one with: owl remote add <alias> <url> --token <token>`);
      printLine(renderTable(['ALIAS', 'URL', 'TOKEN', 'FINGERPRINT'], rows.map((row) => [row.alias, row.url, row.token ? 'set' : '-', row.fingerprint ?? '-'])));
    });

  remote
    .command('rm')
    .alias('remove')
    .argument('<alias>', 'the remote to forget')
    .description('forget a remote and its token')
    .action((alias: string, _options, command: Command) => {
      const globals = globalOptions(command);
      const file = remotesFile();
      const remotes = readRemotes(file);
      if (!(alias in remotes)) throw new OwlError('OWL_NOT_FOUND', `no remote named "${alias}" in ${file}`, { data: { alias } });
      delete remotes[alias];
      writeRemotes(remotes, file);
      if (globals.json) printJson({ alias, removed: true });
      else printLine(`removed remote ${alias}`);
    });
}
