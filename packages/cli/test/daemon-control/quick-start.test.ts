import { describe, expect, it } from 'vitest';
import { parseQuickStart } from '../../src/daemon-control/quick-start.ts';

describe('the entry runs a plain `owl daemon start` without building the commander program', () => {
  it('takes daemon start with --home and --json, before or after the words', () => {
    expect(parseQuickStart(['daemon', 'start'])).toEqual({ home: undefined, json: false });
    expect(parseQuickStart(['--home', '/h', 'daemon', 'start'])).toEqual({ home: '/h', json: false });
    expect(parseQuickStart(['daemon', 'start', '--json', '--home=/h'])).toEqual({ home: '/h', json: true });
    expect(parseQuickStart(['daemon', '--home', '/a', 'start', '--home', '/b'])).toEqual({ home: '/b', json: false });
  });

  it('leaves everything else to commander: other commands, plane flags, --timeout, --on, help, a missing value', () => {
    for (const args of [
      [],
      ['daemon'],
      ['daemon', 'stop'],
      ['daemon', 'start', 'extra'],
      ['start', 'daemon'],
      ['ls'],
      ['daemon', 'start', '--tcp', '127.0.0.1:0'],
      ['daemon', 'start', '--tls'],
      ['--timeout', '10s', 'daemon', 'start'],
      ['--on', 'prod', 'daemon', 'start'],
      ['daemon', 'start', '--help'],
      ['daemon', 'start', '-h'],
      ['daemon', 'start', '--home'],
      ['--home', '--json', 'daemon', 'start'],
      ['daemon', 'start', '--'],
    ]) {
      expect(parseQuickStart(args), args.join(' ')).toBeNull();
    }
  });
});
