import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { waitForEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { repoRoot, runCli } from "./cli-process.js";

const eventsDir = "webhook-samples/events";

describe("pushgate replay to a gateway (as an event source)", function () {
  this.timeout(60_000);
  let gw: TestGateway;
  let app: Awaited<ReturnType<typeof createApp>>;

  before(async () => {
    gw = await startTestGateway();
    app = await createApp(gw);
  });
  after(() => gw.close());

  const replay = (paths: string[], ...flags: string[]) =>
    runCli(["replay", ...paths, "--gateway", gw.url, "--app", app.id, ...flags]);

  it("signs every sample event with the app's event secret; the gateway accepts and runs each, under a fresh id", async () => {
    const sampleFiles = readdirSync(path.join(repoRoot, eventsDir));
    const sampleIds = sampleFiles.map(
      (name) => JSON.parse(readFileSync(path.join(repoRoot, eventsDir, name), "utf8")).id,
    );
    for (const round of [1, 2]) {
      const result = await replay([eventsDir], "--secret", app.event_secret);
      expect(result.code, `round ${round}: ${result.stdout}${result.stderr}`).to.equal(0);
      expect(result.stdout.endsWith(`${sampleFiles.length} files: ${sampleFiles.length} queued\n`)).to.equal(
        true,
      );
      const ids = [...result.stdout.matchAll(/ 202 queued (\S+)$/gm)].map((match) => match[1] as string);
      expect(ids).to.have.length(sampleFiles.length);
      expect(ids.filter((id) => sampleIds.includes(id))).to.deep.equal([]);
      for (const id of ids) {
        expect((await waitForEvent(gw, app, id)).status).to.equal("completed");
      }
    }
  });

  it("--keep-ids posts the samples' own ids: a repeat is answered duplicate, which is no failure", async () => {
    const file = `${eventsDir}/06-notification.custom.json`;
    const { id } = JSON.parse(readFileSync(path.join(repoRoot, file), "utf8"));
    const first = await replay([file], "--secret", app.event_secret, "--keep-ids");
    const second = await replay([file], "--secret", app.event_secret, "--keep-ids");
    expect(first.stdout).to.include(`202 queued ${id}`);
    expect(second.code).to.equal(0);
    expect(second.stdout).to.equal(`✓ ${file}  200 duplicate ${id}\n1 file: 1 duplicate\n`);
  });

  it("reports each refusal and exits 1: a wrong secret, a delivery where an event is expected", async () => {
    const otherApp = await createApp(gw);
    const result = await replay(
      [`${eventsDir}/05-call.ringing.json`, "webhook-samples/deliveries/05-call.ringing.json"],
      "--secret",
      otherApp.event_secret,
    );
    expect(result.code).to.equal(1);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).to.match(/^✗ webhook-samples\/events\/05-call\.ringing\.json {2}401 /);
    expect(lines[1]).to.equal(
      "✗ webhook-samples/deliveries/05-call.ringing.json  a delivery sample, not a live event: replay events/ to a gateway, deliveries/ to a --target",
    );
    expect(lines[2]).to.equal("2 files: 2 failed");
  });
});
