/**
 * The gateway's time: what decides expiry (rotated-out secrets, sessions, sync tokens, events
 * past their retention) and dates what is received. Given to each part that reads it, so a
 * test can move one gateway's time forward instead of waiting for it.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
