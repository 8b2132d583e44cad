const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `["apps", 1, "restart", "maxRestarts"]` -> `apps[1].restart.maxRestarts`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}
