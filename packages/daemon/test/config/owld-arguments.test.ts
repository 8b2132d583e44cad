import { describe, expect, it } from 'vitest';
import { OWLD_USAGE, parseOwldArguments } from '../../src/config/owld-arguments.ts';

describe("owld's arguments", () => {
  it('reads --home, --foreground and the TCP plane flags, in any order and as --flag=value', () => {
    expect(parseOwldArguments([])).toEqual({ home: undefined, foreground: false, planes: {} });
    expect(parseOwldArguments(['--foreground', '--tcp=9800', '--home', '/srv/owl'])).toEqual({
      home: '/srv/owl',
      foreground: true,
      planes: { tcp: { host: '127.0.0.1', port: 9800 } },
    });
    expect(parseOwldArguments(['--tls-cert', '/c.pem', '--tls-key', '/k.pem']).planes).toEqual({ tls: true, tlsCert: '/c.pem', tlsKey: '/k.pem' });
  });

  it.each([
    [['--hom', '/srv/owl'], 'unknown option --hom'],
    [['--home'], '--home: expected a value'],
    [['--tcp', '--tls'], '--tcp: expected a value'],
    [['--foreground=yes'], '--foreground: takes no value'],
    [['/srv/owl'], 'unexpected argument /srv/owl'],
  ])('refuses %j with a usage error naming the problem', (argv, problem) => {
    expect(() => parseOwldArguments(argv)).toThrow(expect.objectContaining({ code: 'OWL_USAGE', message: `${problem}\nusage: ${OWLD_USAGE}` }));
  });

  it('gives the TCP plane flags the same errors as the CLI', () => {
    expect(() => parseOwldArguments(['--tls-key', 'k.pem'])).toThrow('--tls-cert and --tls-key go together: give both files or neither');
    expect(() => parseOwldArguments(['--tcp', 'nine'])).toThrow('--tcp: expected [host:]port');
  });
});
