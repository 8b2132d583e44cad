import { describe, expect, it } from 'vitest';
import { OwlError, isOwlError } from '../../src/errors/owl-error.ts';

// The CLI loads the daemon, the audit and the console as separate bundles, each with its own
// copy of this module: an OwlError made by one copy must be an OwlError to the others.
describe('OwlError across copies of its module', () => {
  it('an error made by another copy of the class is an OwlError here, with its code', async () => {
    // A query string makes the module loader evaluate the file a second time: a second class.
    const secondCopy = new URL('../../src/errors/owl-error.ts?second-copy', import.meta.url).href;
    const copy = (await import(/* @vite-ignore */ secondCopy)) as typeof import('../../src/errors/owl-error.ts');
    expect(copy.OwlError).not.toBe(OwlError);
    const made = new copy.OwlError('OWL_LOCK_HELD', 'lock held');
    expect(made instanceof OwlError).toBe(true);
    expect(isOwlError(made)).toBe(true);
    expect(new OwlError('OWL_USAGE', 'x') instanceof copy.OwlError).toBe(true);
  });

  it('plain errors and look-alikes are not OwlErrors', () => {
    expect(new Error('x') instanceof OwlError).toBe(false);
    expect({ name: 'OwlError', code: 'OWL_USAGE', message: 'x' } instanceof OwlError).toBe(false);
    expect(isOwlError(null)).toBe(false);
  });

  it('a subclass keeps the ordinary prototype check', () => {
    class Narrower extends OwlError {}
    expect(new Narrower('OWL_UNAUTHORIZED', 'no') instanceof OwlError).toBe(true);
    expect(new Narrower('OWL_UNAUTHORIZED', 'no') instanceof Narrower).toBe(true);
    expect(new OwlError('OWL_UNAUTHORIZED', 'no') instanceof Narrower).toBe(false);
  });
});
