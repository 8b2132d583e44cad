import { LuaScript } from './lua-script.ts';

/**
 * Takes the lease when nobody holds it, with a new term above both the stored counter and the
 * caller's floor (the highest term it has seen), so terms keep rising after Redis lost its data.
 * KEYS: leader, term. ARGV: node id, lease ms, floor. Returns {1, holder} or {0, current holder,
 * its remaining ms} (followers aim their next try at the moment the lease runs out).
 */
export const ACQUIRE = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder then return {0, holder, redis.call('PTTL', KEYS[1])} end
local term = redis.call('INCR', KEYS[2])
local floor = tonumber(ARGV[3]) + 1
if term < floor then
  term = floor
  redis.call('SET', KEYS[2], term)
end
local value = ARGV[1] .. ':' .. term
redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
return {1, value}
`);

/** Compare-and-extend. KEYS: leader. ARGV: holder ("id:term"), lease ms. Returns 1 or 0. */
export const RENEW = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`);

/** Compare-and-delete, then tells followers at once. KEYS: leader. ARGV: holder, channel. */
export const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], ARGV[1])
  return 1
end
return 0
`);

/**
 * Every leader-only write. KEYS[1] leader, KEYS[2] the writes log, KEYS[3..] the keys the ops
 * touch. ARGV: holder ("id:term"), write name, ops as JSON. Returns 1 when applied, 0 when the
 * caller does not hold the lease with that term (fenced), -1 when an `expect` did not match.
 * `expect` ops are all checked before any write, so a step applies whole or not at all.
 */
export const FENCED_WRITE = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local ops = cjson.decode(ARGV[3])
for _, op in ipairs(ops) do
  if op.op == 'expect' then
    local current = redis.call('GET', KEYS[op.k + 3])
    if not current then current = '' end
    if current ~= op.v then return -1 end
  end
end
for _, op in ipairs(ops) do
  local key = KEYS[op.k + 3]
  if op.op == 'set' then redis.call('SET', key, op.v)
  elseif op.op == 'hset' then redis.call('HSET', key, op.f, op.v)
  elseif op.op == 'hdel' then redis.call('HDEL', key, op.f)
  elseif op.op == 'del' then redis.call('DEL', key)
  end
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', 1000, '*', 'holder', ARGV[1], 'write', ARGV[2])
return 1
`);

/** Splits the lease value "id:term". */
export function parseHolder(value: string): { id: string; term: number } | null {
  const at = value.lastIndexOf(':');
  const term = Number(value.slice(at + 1));
  if (at <= 0 || !Number.isSafeInteger(term)) return null;
  return { id: value.slice(0, at), term };
}
