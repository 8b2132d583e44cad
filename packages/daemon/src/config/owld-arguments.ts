import { parseArgs } from 'node:util';
import { OwlError, parsePlaneFlags, type PlaneOverrides } from '@owl/rpc';

/** What `owld` was started with, validated once. */
export interface OwldArguments {
  home: string | undefined;
  foreground: boolean;
  planes: PlaneOverrides;
}

export const OWLD_USAGE = 'owld [--home DIR] [--foreground] [--tcp [host:]port] [--tls | --tls-cert FILE --tls-key FILE]';

const OPTIONS = {
  home: { type: 'string' },
  foreground: { type: 'boolean' },
  tcp: { type: 'string' },
  tls: { type: 'boolean' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
} as const;

/**
 * Parses `owld`'s argv: an unknown flag, a stray word or a flag without its value is an
 * OWL_USAGE error naming it; the TCP plane flags go through the same parser as the CLI's.
 */
export function parseOwldArguments(argv: readonly string[]): OwldArguments {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new OwlError('OWL_USAGE', `${describeArgumentError(error as Error & { code?: string })}\nusage: ${OWLD_USAGE}`, { cause: error });
  }
  const planes = parsePlaneFlags({ tcp: values.tcp, tls: values.tls, tlsCert: values['tls-cert'], tlsKey: values['tls-key'] });
  return { home: values.home, foreground: values.foreground ?? false, planes };
}

// node:util's messages speak of its API ("argument is ambiguous", "To specify..."): say what is wrong with the flag.
function describeArgumentError(error: Error & { code?: string }): string {
  const flag = /'(-[^' ]+)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${flag ?? error.message}`;
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? error.message}`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag !== undefined) {
    return error.message.includes('does not take an argument') ? `${flag}: takes no value` : `${flag}: expected a value`;
  }
  return error.message;
}
