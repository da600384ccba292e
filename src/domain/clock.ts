/**
 * The time by which the gateway decides what has expired: rotated-out secrets, sessions,
 * sync tokens, events past their retention. Given to each part that decides, so a test can
 * move one gateway's time forward instead of waiting for it.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
