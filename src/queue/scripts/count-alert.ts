import type { LuaScript } from "./lua-script.js";

export const countAlert: LuaScript = {
  lua: `
--[[
  Adds 1 to the unread count of each user not yet counted for this event's run, and answers
  every user's count. The marker set makes a job that runs again count nobody twice.

  KEYS[1]     the run's marker set (the users counted so far)
  KEYS[1+i]   the count of user i
  ARGV[1]     how long the marker set is kept, ms
  ARGV[2]     the highest count kept
  ARGV[2+i]   the id of user i

  Returns the counts, in the users' order.
]]
local counts = {}
local maxCount = tonumber(ARGV[2])
for i = 2, #KEYS do
  local countKey = KEYS[i]
  if redis.call('SADD', KEYS[1], ARGV[i + 1]) == 1 then
    local count = redis.call('INCR', countKey)
    if count > maxCount then
      redis.call('SET', countKey, maxCount)
      count = maxCount
    end
    counts[#counts + 1] = count
  else
    counts[#counts + 1] = tonumber(redis.call('GET', countKey) or '0')
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return counts
`,
};
