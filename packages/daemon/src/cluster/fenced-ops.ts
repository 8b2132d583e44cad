/**
 * One operation of a fenced write. `k` indexes the keys passed with the write (0-based).
 * `expect` compares a string key's value ('' = missing) before anything is written.
 */
export type FencedOp =
  | { readonly op: 'expect'; readonly k: number; readonly v: string }
  | { readonly op: 'set'; readonly k: number; readonly v: string }
  | { readonly op: 'hset'; readonly k: number; readonly f: string; readonly v: string }
  | { readonly op: 'hdel'; readonly k: number; readonly f: string }
  | { readonly op: 'del'; readonly k: number };
