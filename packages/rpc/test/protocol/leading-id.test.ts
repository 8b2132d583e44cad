import { describe, expect, it } from 'vitest';
import { leadingId } from '../../src/protocol/frames.ts';

describe('leadingId', () => {
  it.each([
    ['{"jsonrpc":"2.0","id":7,"method":"apps.apply","params":{"apps":[', 7],
    ['{"id":"call-1","jsonrpc":"2.0","method":"x"', 'call-1'],
    [' { "jsonrpc" : "2.0" , "id" : -3 }', -3],
  ] as const)('reads the id of %j', (prefix, id) => {
    expect(leadingId(prefix)).toBe(id);
  });

  it.each([
    '{"jsonrpc":"2.0","method":"apps.apply","params":{"id":5}}',
    '{"jsonrpc":"2.0","id":{"nested":1}}',
    '{"jsonrpc":"2.0","id":"unterminated',
    '[{"id":1}]',
    'garbage',
  ])('finds no top-level id in %j', (prefix) => {
    expect(leadingId(prefix)).toBeNull();
  });
});
