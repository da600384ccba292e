import type { LuaScript } from "./lua-script.js";

export const countBurst: LuaScript = {
  lua: `
--[[
  Adds an event's message to each user's burst in a channel, unless this run of the event has
  already counted the user, and answers each user's count. A burst that this message opens
  (count 1) expires when the window ends; the messages after it do not extend the window.

  KEYS[1]     the run's marker set (the users counted so far)
  KEYS[1+i]   the burst of user i in the channel
  ARGV[1]     how long the marker set is kept, ms
  ARGV[2]     the burst window, ms
  ARGV[2+i]   the id of user i

  Returns the counts, in the users' order; 1 for a user whose burst ended since the run counted them.
]]
local counts = {}
for i = 2, #KEYS do
  local burstKey = KEYS[i]
  if redis.call('SADD', KEYS[1], ARGV[i + 1]) == 1 then
    local count = redis.call('INCR', burstKey)
    if count == 1 then redis.call('PEXPIRE', burstKey, ARGV[2]) end
    counts[#counts + 1] = count
  else
    counts[#counts + 1] = tonumber(redis.call('GET', burstKey) or '1')
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return counts
`,
};
