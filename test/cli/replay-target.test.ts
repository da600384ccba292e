import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { newWebhookSecret } from "../../src/security/credentials.js";
import { RunningCli, repoRoot, runCli } from "./cli-process.js";
import { customerServer } from "./customer-server.js";

const deliveriesDir = "webhook-samples/deliveries";
const version = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")).version;

describe("pushgate replay to a customer's webhook (--target)", function () {
  this.timeout(30_000);
  const secret = newWebhookSecret();

  it("delivers every sample to pushgate listen, which checks each signature", async () => {
    const listener = new RunningCli(["listen", "--port", "0", "--secret", secret]);
    try {
      const [, url] = await listener.waitForOutput(/^listening on (http:\/\/\S+):/m);
      const result = await runCli([
        "replay",
        deliveriesDir,
        "--target",
        `${url}/hook`,
        "--webhook-secret",
        secret,
      ]);
      const count = readdirSync(path.join(repoRoot, deliveriesDir)).length;
      expect(result.code, result.stdout + result.stderr).to.equal(0);
      expect(result.stdout).to.include(
        `✓ ${deliveriesDir}/03-message.created.text.json  200 {"action":"send"} → would send the proposed notification to u_alice, u_chloe, u_dan`,
      );
      expect(result.stdout.endsWith(`${count} files: ${count} send\n`), result.stdout).to.equal(true);
      await listener.waitForOutput(new RegExp(`(signature verified[^]*){${count}}`));
    } finally {
      await listener.stop();
    }
  });

  it("signs as Pushgate does and tells what Pushgate would do with each answer", async () => {
    const edited = JSON.stringify(
      JSON.parse(readFileSync(path.join(repoRoot, "webhook-samples/responses/send-edited.json"), "utf8")),
    );
    const customer = await customerServer(secret, [
      { status: 200, body: edited, headers: { "content-type": "application/json" } },
      { status: 503, headers: { "retry-after": "30" } },
      { status: 200, body: "thanks!" },
      { status: 204 },
    ]);
    try {
      const files = [
        "03-message.created.text",
        "04-message.created.image",
        "05-call.ringing",
        "01-channel.created",
      ].map((name) => `${deliveriesDir}/${name}.json`);
      const result = await runCli(["replay", ...files, "--target", customer.url, "--webhook-secret", secret]);
      expect(result.code).to.equal(1);
      const lines = result.stdout.trimEnd().split("\n");
      expect(lines).to.have.length(5);
      expect(lines[0]).to.match(
        /^✓ .*text\.json {2}200 \{"action":"send",.* → would send the notification with title, body, data edited to u_alice, u_chloe \(edited recipients; toggles still apply\)$/,
      );
      expect(lines[1]).to.match(
        /^✗ .*image\.json {2}503 \(empty\) → would retry \(after 30 s, per Retry-After\), then fallback$/,
      );
      expect(lines[2]).to.match(
        /^✗ .*call\.ringing\.json {2}200 thanks! → the answer is not JSON: would record it, not retry, and apply the app's fallback$/,
      );
      expect(lines[3]).to.match(/^✓ .*channel\.created\.json {2}204 \(empty\) → would send nothing$/);
      expect(lines[4]).to.equal("4 files: 1 edited, 1 retry, 1 invalid, 1 drop");

      expect(customer.received).to.have.length(4);
      for (const [index, { headers, body }] of customer.received.entries()) {
        expect(headers["content-type"]).to.equal("application/json");
        expect(headers["user-agent"]).to.equal(`pushgate/${version}`);
        expect(headers["webhook-id"]).to.match(/^msg_/);
        expect(body).to.equal(
          JSON.stringify(JSON.parse(readFileSync(path.join(repoRoot, files[index] ?? ""), "utf8"))),
        );
      }
    } finally {
      await customer.close();
    }
  });

  it("refuses to send a live event where a delivery is expected", async () => {
    const result = await runCli([
      "replay",
      "webhook-samples/events/05-call.ringing.json",
      "--target",
      "http://127.0.0.1:9/never",
      "--webhook-secret",
      secret,
    ]);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.include("a live event, not a delivery");
  });
});
