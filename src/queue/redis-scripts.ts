import type { RedisConnection } from "./redis.js";
import { acquireWebhookSlot } from "./scripts/acquire-webhook-slot.js";
import { countAlert } from "./scripts/count-alert.js";
import { countBurst } from "./scripts/count-burst.js";
import { countWebhookFailure } from "./scripts/count-webhook-failure.js";
import type { LuaScript } from "./scripts/lua-script.js";

/** The gateway's Lua scripts, as typed calls on one connection. */
export interface RedisScripts {
  acquireWebhookSlot(
    slotsKey: string,
    nowMs: number,
    leaseEndMs: number,
    holder: string,
    slotsPerApp: number,
  ): Promise<number>;
  countAlert(
    countedKey: string,
    keepMs: number,
    maxCount: number,
    users: { userId: string; countKey: string }[],
  ): Promise<number[]>;
  countBurst(
    countedKey: string,
    keepMs: number,
    windowMs: number,
    users: { userId: string; burstKey: string }[],
  ): Promise<number[]>;
  /** Answers [count, since ms]. */
  countWebhookFailure(failuresKey: string, nowMs: number, keepMs: number): Promise<[number, number]>;
}

type ScriptCall = (keys: string[], args: (string | number)[]) => Promise<unknown>;

/**
 * Defines the scripts as commands of `redis` (ioredis sends EVALSHA, and the text only when
 * the server does not have it yet).
 */
export function redisScripts(redis: RedisConnection): RedisScripts {
  const acquire = defined(redis, "pushgateAcquireWebhookSlot", acquireWebhookSlot);
  const count = defined(redis, "pushgateCountAlert", countAlert);
  const burst = defined(redis, "pushgateCountBurst", countBurst);
  const failure = defined(redis, "pushgateCountWebhookFailure", countWebhookFailure);
  return {
    countAlert: async (countedKey, keepMs, maxCount, users) =>
      (await count(
        [countedKey, ...users.map((user) => user.countKey)],
        [keepMs, maxCount, ...users.map((user) => user.userId)],
      )) as number[],
    countBurst: async (countedKey, keepMs, windowMs, users) =>
      (await burst(
        [countedKey, ...users.map((user) => user.burstKey)],
        [keepMs, windowMs, ...users.map((user) => user.userId)],
      )) as number[],
    countWebhookFailure: async (failuresKey, nowMs, keepMs) =>
      (await failure([failuresKey], [nowMs, keepMs])) as [number, number],
    acquireWebhookSlot: async (slotsKey, nowMs, leaseEndMs, holder, slotsPerApp) =>
      (await acquire([slotsKey], [nowMs, leaseEndMs, holder, slotsPerApp])) as number,
  };
}

function defined(redis: RedisConnection, name: string, script: LuaScript): ScriptCall {
  redis.defineCommand(name, script);
  const command = (redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>)[
    name
  ] as (...args: (string | number)[]) => Promise<unknown>;
  return script.numberOfKeys === undefined
    ? (keys, args) => command.call(redis, keys.length, ...keys, ...args)
    : (keys, args) => command.call(redis, ...keys, ...args);
}
