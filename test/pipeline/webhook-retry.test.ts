import { expect } from "chai";
import type { WebhookJob } from "../../src/pipeline/jobs.js";
import { nextAttemptDelayMs } from "../../src/pipeline/webhook/webhook-retry.js";

const retry = { baseMs: 1000, maxMs: 300_000 };

function jobAt(attempt: number, expiresInMs: number): WebhookJob {
  return { attempt, expiresAt: new Date(Date.now() + expiresInMs).toISOString() } as WebhookJob;
}

describe("webhook retries", () => {
  it("go on until the TTL by default: no attempt count ends them earlier", () => {
    const delay = nextAttemptDelayMs(jobAt(40, 3_600_000), 5000, undefined, {
      maxAttempts: undefined,
      retry,
    });
    expect(delay).to.be.a("number").within(150_000, 300_000);
  });

  it("stop when another attempt could not end a second before the TTL", () => {
    expect(nextAttemptDelayMs(jobAt(1, 5_000), 5000, undefined, { maxAttempts: undefined, retry })).to.equal(
      null,
    );
  });

  it("stop at WEBHOOK_MAX_ATTEMPTS when an operator sets it", () => {
    expect(nextAttemptDelayMs(jobAt(12, 3_600_000), 5000, undefined, { maxAttempts: 12, retry })).to.equal(
      null,
    );
    expect(nextAttemptDelayMs(jobAt(11, 3_600_000), 5000, undefined, { maxAttempts: 12, retry })).to.be.a(
      "number",
    );
  });
});
