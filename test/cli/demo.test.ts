import { expect } from "chai";
import { Redis } from "ioredis";
import { RunningCli, runCli } from "./cli-process.js";

/** The keys left under the prefix the demo printed, in the Redis it printed. */
async function keysLeft(redisUrl: string, prefix: string): Promise<string[]> {
  const redis = new Redis(redisUrl);
  try {
    return await redis.keys(`${prefix}:*`);
  } finally {
    redis.disconnect();
  }
}

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

  for (const [moment, ready, args] of [
    ["while the samples play", /^→ /m, []],
    ["once it only keeps running", /Ctrl-C stops\./, ["--keep-running"]],
  ] as const) {
    it(`deletes its Redis keys when stopped with Ctrl-C ${moment}`, async () => {
      const demo = new RunningCli(["demo", "--port", "0", ...args]);
      try {
        const [, redisUrl, prefix] = (await demo.waitForOutput(
          /Redis (\S+), keys under ([\w-]+):/,
          30_000,
        )) as string[];
        await demo.waitForOutput(ready, 30_000);
        expect(await keysLeft(redisUrl as string, prefix as string), "keys while it runs").not.to.be.empty;
        expect(await demo.stop("SIGINT")).to.equal(0);
        expect(await keysLeft(redisUrl as string, prefix as string)).to.deep.equal([]);
      } finally {
        await demo.stop("SIGKILL");
      }
    });
  }
});
