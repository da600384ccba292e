import type { Request, RequestHandler } from "express";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { redisKeys } from "../../queue/redis-keys.js";
import { HttpProblem } from "../problem.js";
import { clientAppOf, sessionOf } from "./auth.js";

interface PerMinuteLimit {
  name: string;
  perMinute: number;
  keyOf(req: Request): string;
  /** Completes "at most N … per minute". */
  counted: string;
}

/**
 * Counts in Redis, so every gateway instance shares the limit; while Redis is unreachable
 * each instance falls back to counting in memory rather than refusing or waving requests through.
 */
function perMinuteLimit(redis: Redis, redisPrefix: string, limit: PerMinuteLimit): RequestHandler {
  const options = { points: limit.perMinute, duration: 60 };
  const limiter = new RateLimiterRedis({
    ...options,
    storeClient: redis,
    keyPrefix: redisKeys(redisPrefix).rateLimit(limit.name),
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(options),
  });
  return async (req, _res, next) => {
    try {
      await limiter.consume(limit.keyOf(req));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      throw new HttpProblem(
        429,
        "rate-limited",
        `at most ${limit.perMinute} ${limit.counted} per minute; retry in ${retryAfter} s`,
        {},
        { "Retry-After": retryAfter },
      );
    }
    next();
  };
}

/** Session creation, per API key (after `requireApiKey`). */
export function sessionCreationLimit(redis: Redis, redisPrefix: string, perMinute: number): RequestHandler {
  return perMinuteLimit(redis, redisPrefix, {
    name: "sessions",
    perMinute,
    keyOf: (req) => clientAppOf(req).id,
    counted: "sessions with this API key",
  });
}

/** Device registrations and removals, per session (after `requireSession`). */
export function deviceWriteLimit(redis: Redis, redisPrefix: string, perMinute: number): RequestHandler {
  return perMinuteLimit(redis, redisPrefix, {
    name: "device-writes",
    perMinute,
    keyOf: (req) => sessionOf(req).id,
    counted: "device writes per session",
  });
}
