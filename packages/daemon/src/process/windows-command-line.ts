/**
 * One argument quoted the way CommandLineToArgvW and the C runtime read it back: backslashes
 * are literal except before a quote, where they are doubled; the quote itself is escaped.
 */
export function quoteWindowsArgument(argument: string): string {
  if (argument !== '' && !/[\s"]/.test(argument)) return argument;
  let quoted = '"';
  let backslashes = 0;
  for (const char of argument) {
    if (char === '\\') {
      backslashes += 1;
      continue;
    }
    quoted += char === '"' ? `${'\\'.repeat(backslashes * 2 + 1)}"` : `${'\\'.repeat(backslashes)}${char}`;
    backslashes = 0;
  }
  return `${quoted}${'\\'.repeat(backslashes * 2)}"`;
}

export function windowsCommandLine(executable: string, args: readonly string[]): string {
  return [executable, ...args].map(quoteWindowsArgument).join(' ');
}

/** A CreateProcess environment block: NAME=value pairs, sorted case-insensitively, UTF-16, double NUL at the end. */
export function environmentBlock(env: NodeJS.ProcessEnv): Buffer {
  const entries = Object.entries(env)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .sort(([a], [b]) => a.toUpperCase().localeCompare(b.toUpperCase()))
    .map(([name, value]) => `${name}=${value}\0`);
  return Buffer.from(`${entries.join('')}\0`, 'utf16le');
}
