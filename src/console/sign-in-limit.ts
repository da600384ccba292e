import type { Request } from "express";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { clientAddressKey } from "../http/middleware/client-address.js";
import { HttpProblem } from "../http/problem.js";
import { credentialPrefix } from "../security/credentials.js";

export interface SignInLimitOptions {
  /** Every attempt from one address. */
  attemptsPerAddressPerMinute: number;
  /** Refused attempts from one address at one kind of credential (admin token, server key). */
  refusalsPerAddressPerMinute: number;
}

export const defaultSignInLimits: SignInLimitOptions = {
  attemptsPerAddressPerMinute: 60,
  refusalsPerAddressPerMinute: 10,
};

function tooMany(msBeforeNext: number): HttpProblem {
  const retryAfter = String(Math.max(1, Math.ceil(msBeforeNext / 1000)));
  return new HttpProblem(
    429,
    "rate-limited",
    `Too many sign-in attempts from your address. Try again in ${retryAfter} seconds.`,
    {},
    { "Retry-After": retryAfter },
  );
}

/** What a credential claims to be, known before it is checked: guesses at each are counted apart. */
function credentialKind(credential: string): string {
  return credential.startsWith(credentialPrefix.serverKey) ? "server-key" : "admin-token";
}

/**
 * Guessing the admin token or a server key costs time. Every budget is keyed by the client's
 * address, so a client spends its own and locks nobody else out; refusals are counted per kind
 * of credential too, so guessing at the admin token does not block signing in with an app's key.
 * Counted in this process's memory: a restart forgiving a few guesses is harmless next to a
 * 32-byte credential, and the console's sign-in is not on the API's path.
 */
export class SignInLimit {
  private readonly attempts: RateLimiterMemory;
  private readonly refusals: RateLimiterMemory;

  constructor(private readonly options: SignInLimitOptions = defaultSignInLimits) {
    this.attempts = new RateLimiterMemory({ points: options.attemptsPerAddressPerMinute, duration: 60 });
    this.refusals = new RateLimiterMemory({ points: options.refusalsPerAddressPerMinute, duration: 60 });
  }

  /** Before the credential is checked: 429 once either budget is spent. */
  async attempt(req: Request, credential: string): Promise<void> {
    const refused = await this.refusals.get(this.refusalKey(req, credential));
    if (refused && refused.consumedPoints >= this.options.refusalsPerAddressPerMinute)
      throw tooMany(refused.msBeforeNext);
    try {
      await this.attempts.consume(clientAddressKey(req));
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw tooMany(rejection.msBeforeNext);
      throw rejection;
    }
  }

  /** The credential was neither the admin token nor a valid server key. */
  async refused(req: Request, credential: string): Promise<void> {
    await this.refusals.penalty(this.refusalKey(req, credential));
  }

  private refusalKey(req: Request, credential: string): string {
    return `${clientAddressKey(req)}|${credentialKind(credential)}`;
  }
}
