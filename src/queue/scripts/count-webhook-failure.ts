import type { LuaScript } from "./lua-script.js";

export const countWebhookFailure: LuaScript = {
  numberOfKeys: 1,
  lua: `
--[[
  Adds a failed call to an app's run of webhook failures, which every worker process shares,
  and answers the run: how many calls in a row failed, and when the first of them did.

  KEYS[1]  the app's run (hash: count, since)
  ARGV[1]  now, ms
  ARGV[2]  how long the run is kept after its last failure, ms

  Returns { count, since }.
]]
local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
redis.call('HSETNX', KEYS[1], 'since', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return { count, tonumber(redis.call('HGET', KEYS[1], 'since')) }
`,
};
