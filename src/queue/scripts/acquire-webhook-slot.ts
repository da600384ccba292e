import type { LuaScript } from "./lua-script.js";

export const acquireWebhookSlot: LuaScript = {
  numberOfKeys: 1,
  lua: `
--[[
  Takes one of an app's webhook slots for a holder, unless every slot is leased.
  Leases that ended are dropped first: a slot held by a dead worker frees itself.

  KEYS[1]  the app's slots (sorted set: holder -> end of its lease, ms)
  ARGV[1]  now, ms
  ARGV[2]  end of the lease, ms
  ARGV[3]  holder
  ARGV[4]  slots per app

  Returns 1 when the holder has a slot (it may have had it already), 0 when none is free.
]]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 1 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return 1
`,
};
