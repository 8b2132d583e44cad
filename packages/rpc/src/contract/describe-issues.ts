import type { z } from 'zod';
import { describeReceived } from './units.ts';
import { formatFieldPath } from '../errors/field-path.ts';

export { formatFieldPath };

/** Zod's hook for messages of issues the schema gave no message of its own. */
export type ConfigErrorMap = z.core.$ZodErrorMap;
type RawIssue = z.core.$ZodRawIssue;
/** One problem zod found, as it reports it. */
export type ConfigIssue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** A value as an operator would write it: strings quoted (long ones cut), containers by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return describeReceived(value);
}

function describeExpectedType(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function plural(count: number | bigint, noun: string): string {
  return `${count} ${noun}${count === 1 || count === 1n ? '' : 's'}`;
}

function describeBound(issue: RawIssue & { code: 'too_small' | 'too_big' }): string {
  const small = issue.code === 'too_small';
  const limit = small ? issue.minimum : issue.maximum;
  const input = issue.input;
  if (issue.origin === 'array' || issue.origin === 'set') {
    const count = Array.isArray(input) ? input.length : '?';
    return `expected ${small ? 'at least' : 'at most'} ${plural(limit, 'item')}, received ${count}`;
  }
  if (issue.origin === 'string') return `expected ${small ? 'at least' : 'at most'} ${plural(limit, 'character')}`;
  const operator = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  return `expected a number ${operator} ${limit}`;
}

function describeUnion(issue: RawIssue & { code: 'invalid_union' }): string | undefined {
  const expected = issue.errors.flat().map((branch) => (branch.code === 'invalid_type' ? describeExpectedType(branch.expected) : undefined));
  if (expected.length === 0 || expected.includes(undefined)) return undefined;
  return `expected ${[...new Set(expected)].join(' or ')}, received ${describeValue(issue.input)}`;
}

/**
 * Messages for the issues zod reports in its own words: "expected X, received Y". Issues
 * the schema words itself (custom messages) keep their message.
 */
export const describeConfigIssue: ConfigErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `missing, expected ${describeExpectedType(issue.expected)}`;
      return `expected ${describeExpectedType(issue.expected)}, received ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((value) => describeValue(value)).join(', ')}`;
    case 'too_small':
    case 'too_big':
      return describeBound(issue);
    case 'invalid_union':
      return describeUnion(issue);
    case 'invalid_format':
      return issue.format === 'regex' ? `expected a string matching ${issue.pattern ?? 'the pattern'}` : `expected a valid ${issue.format}`;
    case 'invalid_key':
      return issue.issues[0]?.message ?? 'invalid key';
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return 'unknown field';
    default:
      return undefined;
  }
};

function isPrimitive(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/**
 * Field path and problem of each issue, one entry per unknown key. The received value is
 * added to messages that do not name it yet (the schema's own "expected ..." messages).
 */
export function describeIssues(issues: readonly ConfigIssue[]): { path: string; message: string }[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatFieldPath([...issue.path, key]), message: 'unknown field' }));
    }
    const received = !issue.message.includes('received') && isPrimitive(issue.input);
    const message = received ? `${issue.message}, received ${describeValue(issue.input)}` : issue.message;
    return [{ path: formatFieldPath(issue.path), message }];
  });
}
