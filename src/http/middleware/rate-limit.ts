import type { Request, RequestHandler } from "express";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { RedisConnection } from "../../queue/redis.js";
import { redisKeys } from "../../queue/redis-keys.js";
import { HttpProblem } from "../problem.js";
import { clientAppOf, sessionOf } from "./auth.js";
import { clientAddressKey } from "./client-address.js";

interface Limit {
  name: string;
  points: number;
  durationSeconds: number;
  /** Completes "at most N … per <duration>". */
  counted: string;
}

/** Spends one point of `key`'s budget, or throws the 429 that says when to come back. */
export type SpendPoint = (key: string) => Promise<void>;

const per = (seconds: number) => (seconds === 1 ? "second" : seconds === 60 ? "minute" : `${seconds} s`);

/**
 * Counts in Redis, so every gateway instance shares the limit; while Redis is unreachable
 * each instance falls back to counting in memory rather than refusing or waving requests through.
 */
function limiter(redis: RedisConnection, redisPrefix: string, limit: Limit): SpendPoint {
  const options = { points: limit.points, duration: limit.durationSeconds };
  const counters = new RateLimiterRedis({
    ...options,
    storeClient: redis,
    keyPrefix: redisKeys(redisPrefix).rateLimit(limit.name),
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(options),
  });
  return async (key) => {
    try {
      await counters.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      throw new HttpProblem(
        429,
        "rate-limited",
        `at most ${limit.points} ${limit.counted} per ${per(limit.durationSeconds)}; retry in ${retryAfter} s`,
        {},
        { "Retry-After": retryAfter },
      );
    }
  };
}

function spendFor(spend: SpendPoint, keyOf: (req: Request) => string): RequestHandler {
  return async (req, _res, next) => {
    await spend(keyOf(req));
    next();
  };
}

export interface SignInLimitSettings {
  perAddressPerMinute: number;
  perUserPerMinute: number;
  perAppPerSecond: number;
}

/**
 * Sign-in is limited so that no client can lock an app's users out: per client address for
 * every attempt (a flood of garbage spends only its sender's budget), per (app, user) once the
 * user's auth token verified (nobody but the customer's server can spend a user's budget), and
 * an app-wide ceiling far above any real sign-in rate, against a flood from many addresses.
 */
export function signInLimits(redis: RedisConnection, redisPrefix: string, settings: SignInLimitSettings) {
  const perAddress = limiter(redis, redisPrefix, {
    name: "sign-in-address",
    points: settings.perAddressPerMinute,
    durationSeconds: 60,
    counted: "sign-in attempts from one address",
  });
  const perApp = limiter(redis, redisPrefix, {
    name: "sign-in-app",
    points: settings.perAppPerSecond,
    durationSeconds: 1,
    counted: "sign-in attempts for one app",
  });
  const perUser = limiter(redis, redisPrefix, {
    name: "sign-in-user",
    points: settings.perUserPerMinute,
    durationSeconds: 60,
    counted: "sign-ins of one user",
  });
  return {
    /** After the API key is known, before anything costly. */
    attempt: (async (req, _res, next) => {
      await perAddress(clientAddressKey(req));
      await perApp(clientAppOf(req).id);
      next();
    }) satisfies RequestHandler,
    /** After the user's auth token verified. */
    verifiedUser: (appId: string, userId: string) => perUser(`${appId}|${userId}`),
  };
}

/** Device registrations and removals, per session (after `requireSession`). */
export function deviceWriteLimit(
  redis: RedisConnection,
  redisPrefix: string,
  perMinute: number,
): RequestHandler {
  const perSession = limiter(redis, redisPrefix, {
    name: "device-writes",
    points: perMinute,
    durationSeconds: 60,
    counted: "device writes per session",
  });
  return spendFor(perSession, (req) => sessionOf(req).id);
}

/**
 * Unregistering with the public API key alone, per client address: its answer tells whether a
 * device exists, so it must not be a free oracle.
 */
export function unregisterLimit(
  redis: RedisConnection,
  redisPrefix: string,
  perMinute: number,
): RequestHandler {
  const perAddress = limiter(redis, redisPrefix, {
    name: "unregister-address",
    points: perMinute,
    durationSeconds: 60,
    counted: "unregistrations from one address",
  });
  return spendFor(perAddress, clientAddressKey);
}

/** Test notifications, per (app, user): a user's budget is spent by tests of that user only. */
export function testNotificationLimit(redis: RedisConnection, redisPrefix: string, perMinute: number) {
  const perUser = limiter(redis, redisPrefix, {
    name: "test-notifications-user",
    points: perMinute,
    durationSeconds: 60,
    counted: "test notifications to one user",
  });
  return (appId: string, userId: string) => perUser(`${appId}|${userId}`);
}
