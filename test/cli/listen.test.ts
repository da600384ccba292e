import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { newWebhookSecret } from "../../src/security/credentials.js";
import { signedHeaders } from "../support/events.js";
import { RunningCli, repoRoot } from "./cli-process.js";

const deliveryBody = readFileSync(
  path.join(repoRoot, "webhook-samples/deliveries/03-message.created.text.json"),
  "utf8",
);

describe("pushgate listen", function () {
  this.timeout(30_000);
  const secret = newWebhookSecret();
  let cli: RunningCli | undefined;

  async function listen(...args: string[]): Promise<string> {
    cli = new RunningCli(["listen", "--port", "0", ...args]);
    const [, url] = await cli.waitForOutput(/^listening on (http:\/\/\S+):/m);
    return `${url}/webhooks/pushgate`;
  }

  /** Signed with the standardwebhooks library, as any Standard Webhooks sender would. */
  function deliver(url: string, signingSecret = secret, body = deliveryBody) {
    return fetch(url, {
      method: "POST",
      headers: signedHeaders(signingSecret, body),
      body,
    });
  }

  afterEach(async () => {
    expect(await cli?.stop()).to.equal(0);
    cli = undefined;
  });

  it("answers send by default after checking the signature, and prints the delivery", async () => {
    const url = await listen("--secret", secret);
    const response = await deliver(url);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ action: "send" });
    const printed = await cli?.waitForOutput(/→ 200 .*\n/);
    expect(cli?.stdout).to.include("POST /webhooks/pushgate");
    expect(cli?.stdout).to.include("signature verified");
    expect(cli?.stdout).to.include(
      'message.created evt_01JDKA3E2H6N8Q1S4V7X9Z3B5D · "Bob Nguyen (Design Team)": The new onboarding mockups',
    );
    expect(cli?.stdout).to.include('"recipient_ids": [');
    expect(printed?.[0]).to.equal('→ 200 {"action":"send"}\n');
  });

  it("checks and prints each status callback in a line of its own", async () => {
    const url = await listen("--secret", secret);
    const samples = path.join(repoRoot, "webhook-samples/callbacks");
    for (const type of ["device.token_removed", "event.completed", "event.failed", "webhook.disabled"]) {
      const response = await deliver(url, secret, readFileSync(path.join(samples, `${type}.json`), "utf8"));
      expect(response.status, type).to.equal(200);
    }
    const refused = await deliver(
      url,
      newWebhookSecret(),
      readFileSync(path.join(samples, "event.failed.json"), "utf8"),
    );
    expect(refused.status, "a callback signed with another secret").to.equal(401);
    await cli?.waitForOutput(/✗ .*401/);
    expect(cli?.stdout).to.include(
      "callback device.token_removed  user u2 device android-u2 provider gcm token …abcd1234 (invalid_token)",
    );
    expect(cli?.stdout).to.include(
      "callback event.completed  event evt_01JDX4M3 (message.created) completed · 3 recipients, 1 suppressed · sent 3 failed 0 invalid_tokens 1 expired 0",
    );
    expect(cli?.stdout).to.include("callback event.failed  event evt_01JDX4N7 (message.created) failed");
    expect(cli?.stdout).to.include("· connect ECONNREFUSED 10.0.4.12:5432");
    expect(cli?.stdout).to.include(
      "callback webhook.disabled  at 2026-11-30T09:15:00.000Z: 100 calls in a row failed over 61 minutes; the last: HTTP 503",
    );
  });

  it("answers drop with --action drop", async () => {
    const url = await listen("--secret", secret, "--action", "drop");
    const response = await deliver(url);
    expect(await response.json()).to.deep.equal({ action: "drop" });
  });

  it("answers with the JSON of --edit", async () => {
    const file = "webhook-samples/responses/send-edited.json";
    const url = await listen("--secret", secret, "--edit", file);
    const response = await deliver(url);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.equal("application/json");
    expect(await response.json()).to.deep.equal(JSON.parse(readFileSync(path.join(repoRoot, file), "utf8")));
  });

  it("answers --status with that status and no body", async () => {
    const url = await listen("--status", "503");
    const response = await deliver(url);
    expect(response.status).to.equal(503);
    expect(await response.text()).to.equal("");
    await cli?.waitForOutput(/→ 503 \(empty\)/);
    expect(cli?.stdout).to.include("signatures NOT checked");
    expect(cli?.stdout).to.include("signature not checked");
  });

  it("answers every delivery of an --outage with its status, from the first delivery on, but status callbacks", async () => {
    const url = await listen("--secret", secret, "--outage", "500:600");
    expect(cli?.stdout).to.include("from the first delivery, an outage of 600 s answering 500");
    expect(cli?.stdout).not.to.include("outage begins");
    for (const attempt of [1, 2]) {
      const response = await deliver(url);
      expect(response.status, `delivery ${attempt}`).to.equal(500);
      expect(await response.text()).to.equal("");
      expect(response.headers.get("retry-after")).to.equal(null);
    }
    const callback = readFileSync(
      path.join(repoRoot, "webhook-samples/callbacks/webhook.disabled.json"),
      "utf8",
    );
    expect((await deliver(url, secret, callback)).status, "a status callback").to.equal(200);
    await cli?.waitForOutput(/callback webhook\.disabled[\s\S]*→ 200 /);
    expect(cli?.stdout).to.match(
      /^! \d\d:\d\d:\d\d outage begins: every delivery answered 500 \(empty, no Retry-After\) for 600 s\n← /m,
    );
    expect(cli?.stdout.match(/→ 500 \(empty\) {2}\(outage\)\n/g)).to.have.length(2);
  });

  it("answers as chosen once the --outage is over", async () => {
    const url = await listen("--secret", secret, "--action", "drop", "--outage", "1");
    expect((await deliver(url)).status, "during the outage").to.equal(503);
    await cli?.waitForOutput(/^! \d\d:\d\d:\d\d outage ends: answering 200 \{"action":"drop"\} again$/m);
    const after = await deliver(url);
    expect(after.status).to.equal(200);
    expect(await after.json()).to.deep.equal({ action: "drop" });
    await cli?.waitForOutput(/→ 200 \{"action":"drop"\}\n/);
  });

  it("refuses with 401 a delivery signed with another secret or not signed", async () => {
    const url = await listen("--secret", secret);
    expect((await deliver(url, newWebhookSecret())).status).to.equal(401);
    const unsigned = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: deliveryBody,
    });
    expect(unsigned.status).to.equal(401);
    await cli?.waitForOutput(/✗ .* → 401 missing webhook-id/);
    expect(cli?.stdout).to.match(/✗ .* POST \/webhooks\/pushgate {2}→ 401 no webhook-signature matches/);
  });
});
