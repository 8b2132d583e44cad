import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth by code unit, drops undefined, writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null, 'x'], c: undefined }, '10': 0, '2': 0 })).toBe('{"10":0,"2":0,"a":{"d":[true,null,"x"]},"b":1}');
  });

  it('treats what JSON cannot hold as JSON.stringify does', () => {
    expect(canonicalJson({ at: new Date(0), n: Number.NaN, list: [undefined] })).toBe('{"at":"1970-01-01T00:00:00.000Z","list":[null],"n":null}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});
