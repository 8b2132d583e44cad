// The environment tag every process the bench starts inherits (see findTaggedPids).
export const TAG_NAME = 'OWL_BENCH_ROOT';

export function taggedEnv(root, extra = {}) {
  return { ...process.env, [TAG_NAME]: root, ...extra };
}
