import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { waitForEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { repoRoot, runCli } from "./cli-process.js";
import { customerServer } from "./customer-server.js";

describe("webhook-samples against a gateway in webhook mode", function () {
  this.timeout(60_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.close());

  it("the gateway delivers, for each replayed sample event, exactly its sample delivery", async () => {
    const customer = await customerServer("whsec_AAAA");
    try {
      const app = await createApp(gw, { mode: "webhook", webhook: { url: customer.url } });
      customer.secret = app.webhook_secret;
      const result = await runCli([
        "replay",
        "webhook-samples/events",
        ...["--gateway", gw.url, "--app", app.id, "--secret", app.event_secret, "--keep-ids"],
      ]);
      expect(result.code, result.stdout + result.stderr).to.equal(0);

      const names = readdirSync(path.join(repoRoot, "webhook-samples/deliveries")).sort();
      const samples = names.map((name) =>
        JSON.parse(readFileSync(path.join(repoRoot, "webhook-samples/deliveries", name), "utf8")),
      );
      for (const sample of samples) await waitForEvent(gw, app, sample.event.id);
      const delivered = new Map(
        customer.received.map(({ body }) => [JSON.parse(body).event.id as string, body] as const),
      );
      for (const [index, sample] of samples.entries()) {
        expect(delivered.get(sample.event.id), names[index]).to.equal(JSON.stringify(sample));
      }
    } finally {
      await customer.close();
    }
  });
});
