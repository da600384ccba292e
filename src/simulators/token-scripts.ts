/** How a simulator treats a token, instead of accepting its notifications. */
export type TokenBehaviour =
  /** FCM 404 `UNREGISTERED`, APNs 410 `Unregistered`, Web Push 410. */
  | { kind: "dead" }
  /** Issued for another sender: FCM 403 `SENDER_ID_MISMATCH`, APNs 400 `DeviceTokenNotForTopic`, Web Push 403. */
  | { kind: "foreign" }
  /** The first `failures` attempts answer `status` (default 503), with `Retry-After` when given. */
  | { kind: "flaky"; failures: number; status?: 429 | 503; retryAfterSeconds?: number }
  /** Accepted after `delayMs`. */
  | { kind: "slow"; delayMs: number };

/** The provider down for everyone: every attempt answers `status`, with `Retry-After` when given. */
export interface Outage {
  status: 429 | 503;
  retryAfterSeconds?: number;
}

/** What a simulator does with one attempt. */
export type Verdict =
  | { kind: "accept"; delayMs: number }
  | { kind: "dead" }
  | { kind: "foreign" }
  | { kind: "unavailable"; status: 429 | 503; retryAfterSeconds?: number };

/** Scripted tokens, and an outage of them all, shared by the simulators of one set. */
export class TokenScripts {
  private readonly scripts = new Map<string, TokenBehaviour>();
  private readonly failuresLeft = new Map<string, number>();
  private outage: Outage | null = null;

  /** Starts an outage of every token, known or not, or ends it (`null`). Scripts wait under it, uncounted. */
  setOutage(outage: Outage | null): void {
    this.outage = outage;
  }

  script(token: string, behaviour: TokenBehaviour): void {
    this.scripts.set(token, behaviour);
    if (behaviour.kind === "flaky") this.failuresLeft.set(token, behaviour.failures);
    else this.failuresLeft.delete(token);
  }

  /** Decides the fate of one attempt to `token`, counting it against a flaky script. */
  attempt(token: string): Verdict {
    if (this.outage) return { kind: "unavailable", ...this.outage };
    const behaviour = this.scripts.get(token);
    switch (behaviour?.kind) {
      case undefined:
        return { kind: "accept", delayMs: 0 };
      case "dead":
      case "foreign":
        return { kind: behaviour.kind };
      case "slow":
        return { kind: "accept", delayMs: behaviour.delayMs };
      case "flaky": {
        const left = this.failuresLeft.get(token) ?? 0;
        if (left === 0) return { kind: "accept", delayMs: 0 };
        this.failuresLeft.set(token, left - 1);
        return {
          kind: "unavailable",
          status: behaviour.status ?? 503,
          retryAfterSeconds: behaviour.retryAfterSeconds,
        };
      }
    }
  }
}
