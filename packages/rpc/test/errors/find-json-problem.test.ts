import { describe, expect, it } from 'vitest';
import { findJsonProblem } from '../../src/errors/find-json-problem.ts';
import { lineAndColumnAt } from '../../src/errors/config-json.ts';

const VALID = [
  '{}',
  '[]',
  ' \t\r\n{ "a" : [ 1 , -0.5e+10 , 2E-3 , 0 , true , false , null ] } \n',
  '"\\u00e9\\n\\t\\"\\\\\\/"',
  '-0',
  '123',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  JSON.stringify({ apps: [{ name: 'web', env: { A: 'line\nbreak', B: '\u0001' } }] }, null, 2),
];

const INVALID: [string, number, string][] = [
  ['', 0, 'expected a value, found the end of the file'],
  ['{"a":1,}', 6, 'trailing comma before "}"'],
  ['[1,2,]', 4, 'trailing comma before "]"'],
  ['[1 2]', 3, 'expected "," or "]" after the array item, found "2"'],
  ['{"a" 1}', 5, 'expected ":" after the property name, found "1"'],
  ['{"a":1', 6, 'expected "," or "}" after the property value, found the end of the file'],
  ['{a:1}', 1, 'expected a property name in double quotes, found "a"'],
  ['{"a":01}', 6, 'numbers cannot have leading zeros'],
  ['{"a":1.}', 7, 'expected a digit after ".", found "}"'],
  ['{"a":1e}', 7, 'expected a digit in the exponent, found "}"'],
  ['{"a":-}', 6, 'expected a digit after "-", found "}"'],
  ['{"a":+1}', 5, 'expected a value, found "+"'],
  ['{"a":truex}', 5, 'expected a value, found "truex"'],
  ['{"a":"x\ny"}', 7, 'line break inside a string (write it as \\n)'],
  ['{"a":"x\u0001"}', 7, 'control character inside a string'],
  ['{"a":"\\x"}', 6, 'invalid escape "\\\\x" in a string'],
  ['{"a":"\\u12G4"}', 6, 'expected 4 hex digits after "\\u"'],
  ['{"a":"abc', 5, 'unterminated string'],
  ['{} {}', 3, 'unexpected "{" after the JSON value'],
  ['/* c */ {}', 0, 'expected a value, found a comment (JSON has no comments)'],
  ['NaN', 0, 'expected a value, found "NaN"'],
  [`${'['.repeat(100_000)}}`, 100_000, 'expected a value, found "}"'],
];

describe('findJsonProblem', () => {
  it.each(VALID)('finds nothing wrong in %j', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(findJsonProblem(text)).toBeNull();
  });

  it.each(INVALID)('finds the error in %j', (text, offset, problem) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(findJsonProblem(text)).toEqual({ offset, problem });
  });
});

describe('findJsonProblem refuses what JSON.parse would silently lose', () => {
  it.each([
    ['{"a":1,"a":2}', 7, 'duplicate key a: a key may appear only once in an object (JSON.parse would keep only the last)'],
    ['{"apps":[{"name":"x","env":{"PORT":"1","P\\u004fRT":"2"}}]}', 39, 'duplicate key apps[0].env.PORT: a key may appear only once in an object (JSON.parse would keep only the last)'],
    ['[{}, {"b":[1, {"c":0, "d e":1, "d e":2}]}]', 31, 'duplicate key [1].b[1]["d e"]: a key may appear only once in an object (JSON.parse would keep only the last)'],
    ['{"logs":{"maxSize":1e400}}', 19, 'the number 1e400 at logs.maxSize is too large to represent'],
    ['-1e309', 0, 'the number -1e309 is too large to represent'],
  ] as const)('in %j', (text, offset, problem) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(findJsonProblem(text)).toEqual({ offset, problem });
  });

  it('accepts the same key in different objects and a large finite number', () => {
    expect(findJsonProblem('[{"a":1},{"a":2},{"b":{"a":3}, "a":1.7e308}]')).toBeNull();
  });
});

describe('lineAndColumnAt', () => {
  it('counts lines and columns from 1, with \\r\\n line ends too', () => {
    expect(lineAndColumnAt('abc', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumnAt('ab\r\ncd\r\nef', 8)).toEqual({ line: 3, column: 1 });
    expect(lineAndColumnAt('ab\n', 3)).toEqual({ line: 2, column: 1 });
  });
});
