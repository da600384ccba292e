import { expect } from "chai";
import { TokenScripts } from "../../src/simulators/token-scripts.js";

describe("the simulators' token scripts", () => {
  it("answers every token, scripted or not, as an outage says while it lasts, and counts no script's failures meanwhile", () => {
    const scripts = new TokenScripts();
    scripts.script("flaky", { kind: "flaky", failures: 1, status: 503 });
    scripts.setOutage({ status: 429, retryAfterSeconds: 2 });
    for (const token of ["flaky", "anyone", "flaky"]) {
      expect(scripts.attempt(token)).to.deep.equal({
        kind: "unavailable",
        status: 429,
        retryAfterSeconds: 2,
      });
    }

    scripts.setOutage(null);
    expect(scripts.attempt("anyone")).to.deep.equal({ kind: "accept", delayMs: 0 });
    expect(scripts.attempt("flaky"), "its one failure is still ahead").to.deep.include({ status: 503 });
    expect(scripts.attempt("flaky")).to.deep.equal({ kind: "accept", delayMs: 0 });
  });
});
