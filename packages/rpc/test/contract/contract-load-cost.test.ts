import { beforeEach, expect, it, vi } from 'vitest';

// Counts every schema zod's factories (z.object, z.string, z.union...) make, so a test can
// tell what merely loading a module builds.
const zodCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock('zod', async (importOriginal) => {
  const actual = await importOriginal<Record<string, unknown>>();
  const counted: Record<string, unknown> = { ...actual };
  for (const [key, value] of Object.entries(actual)) {
    // Lower-case functions are factories; classes (ZodType, ZodError) stay as they are for instanceof.
    if (typeof value === 'function' && /^[a-z]/.test(key)) {
      counted[key] = (...args: unknown[]) => {
        zodCalls.count += 1;
        return (value as (...inner: unknown[]) => unknown)(...args);
      };
    }
  }
  return counted;
});

beforeEach(() => {
  vi.resetModules();
  zodCalls.count = 0;
});

async function schemasBuiltLoading(specifier: string): Promise<number> {
  zodCalls.count = 0;
  await import(specifier);
  return zodCalls.count;
}

it('loading the whole contract builds no more schemas than the app spec the daemon validates state with', async () => {
  const appSpecOnly = await schemasBuiltLoading('../../src/contract/app-spec.ts');
  expect(appSpecOnly).toBeGreaterThan(50);
  vi.resetModules();
  const wholeContract = await schemasBuiltLoading('../../src/contract/index.ts');
  expect(wholeContract).toBe(appSpecOnly);
});

it('reading every method schema builds many more (the count sees what loading would build eagerly)', async () => {
  const contract = await import('../../src/contract/index.ts');
  const afterLoad = zodCalls.count;
  for (const definition of Object.values(contract.methods)) void [definition.params, definition.result];
  expect(zodCalls.count - afterLoad).toBeGreaterThan(200);
});
