import { expect } from "chai";
import { runCli } from "./cli-process.js";

describe("pushgate demo", function () {
  this.timeout(90_000);

  it("starts everything on embedded defaults and shows each sample event reaching simulated devices", async () => {
    const result = await runCli(["demo", "--port", "0"]);
    expect(result.code, result.stderr).to.equal(0);
    const events = result.stdout.split("\n").filter((line) => line.startsWith("→ "));
    expect(events).to.have.length(8);
    expect(
      events.every((line) => / 202 queued /.test(line)),
      result.stdout,
    ).to.equal(true);
    const ends = result.stdout.split("\n").filter((line) => /^\s+(completed|failed|expired):/.test(line));
    expect(
      ends.every((line) => line.trim().startsWith("completed")),
      result.stdout,
    ).to.equal(true);
    expect(result.stdout).to.match(/✓ Bob's iPhone \(VoIP\)\s+.*apns-production \(voip\)/);
    expect(result.stdout).to.match(/✓ Dan's web\s+.*webpush → /);
    const total = Number(result.stdout.match(/(\d+) notifications reached their simulated devices/)?.[1]);
    expect(total).to.be.greaterThan(10);
  });
});
