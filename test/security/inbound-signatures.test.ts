import { randomBytes, randomUUID } from "node:crypto";
import { request } from "node:http";
import { expect } from "chai";
import { Webhook } from "standardwebhooks";
import { messageEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

type TestApp = Awaited<ReturnType<typeof createApp>>;

/** The signed parts of one post; `signatures` builds the `webhook-signature` header from them. */
interface Signing {
  id: string;
  at: Date;
  body: string;
  /** `v1,<signature>` of this post with `secret`. */
  v1(secret: string): string;
}

/** Signed at `at`: the gateway's time, which a test may move forward. */
function signing(at = new Date()): Signing {
  const id = `msg_${randomUUID()}`;
  const body = JSON.stringify(messageEvent());
  return { id, at, body, v1: (secret) => new Webhook(secret).sign(id, at, body) };
}

/** A secret of the same shape that is not the app's. */
const strangerSecret = `whsec_${randomBytes(24).toString("base64")}`;

/** Posts the event with the given `webhook-signature` header lines (several lines: a repeated header). */
function post(gw: TestGateway, app: TestApp, signed: Signing, signatureLines: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const posting = request(`${gw.url}/v1/apps/${app.id}/events`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": signed.id,
        "webhook-timestamp": String(Math.floor(signed.at.getTime() / 1000)),
        "webhook-signature": signatureLines.length === 1 ? signatureLines[0] : signatureLines,
      },
    });
    posting.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    posting.on("error", reject);
    posting.end(signed.body);
  });
}

describe("inbound event signatures: several in one header (docs/api.md §7.1)", () => {
  let gw: TestGateway;
  let app: TestApp;

  before(async () => {
    gw = await startTestGateway();
    app = await createApp(gw);
  });
  after(() => gw.close());

  it("accepts the event when any one of the signatures matches, wherever it stands", async () => {
    for (const order of ["matching first", "matching last"]) {
      const signed = signing();
      const entries = [signed.v1(app.event_secret), signed.v1(strangerSecret)];
      if (order === "matching last") entries.reverse();
      expect(await post(gw, app, signed, [entries.join(" ")]), order).to.equal(202);
    }
  });

  it("ignores entries that are not v1 signatures next to one that matches", async () => {
    const signed = signing();
    const valid = signed.v1(app.event_secret);
    const bare = valid.slice("v1,".length);
    const header = ["garbage", "v1,", `v2,${bare}`, bare, `v1,${bare.replace(/=+$/, "")}`, "", valid].join(
      " ",
    );
    expect(await post(gw, app, signed, [header])).to.equal(202);
  });

  it("refuses with 401 when no entry is a matching v1 signature", async () => {
    const cases: [string, (signed: Signing) => string][] = [
      ["a stranger's signature", (signed) => signed.v1(strangerSecret)],
      [
        "the right signature under another version",
        (signed) => signed.v1(app.event_secret).replace("v1,", "v2,"),
      ],
      ["the right signature without its version", (signed) => signed.v1(app.event_secret).slice(3)],
      ["the signature of another body", () => signing().v1(app.event_secret)],
      ["only separators", () => "   "],
    ];
    for (const [label, header] of cases) {
      const signed = signing();
      expect(await post(gw, app, signed, [header(signed)]), label).to.equal(401);
    }
  });

  it("reads a signature sent in a repeated webhook-signature header, as the reference library does", async () => {
    const signed = signing();
    const lines = [signed.v1(app.event_secret), signed.v1(strangerSecret)];
    expect(await post(gw, app, signed, lines), "matching line first").to.equal(202);
    const again = signing();
    expect(
      await post(gw, app, again, [again.v1(strangerSecret), again.v1(app.event_secret)]),
      "matching line last",
    ).to.equal(202);
  });
});

describe("inbound event signatures across an event-secret rotation", () => {
  it("accepts both signatures during the overlap, then only the new secret's", async () => {
    const gw = await startTestGateway();
    try {
      const app = await createApp(gw);
      const rotation = await gw.request("POST", `/v1/apps/${app.id}/secrets/event-secret/rotate`, {
        token: app.server_key,
      });
      const next: string = rotation.body.secret;
      const both = (signed: Signing) => [`${signed.v1(app.event_secret)} ${signed.v1(next)}`];

      const during = signing(gw.clock.now());
      expect(await post(gw, app, during, both(during)), "both, during the overlap").to.equal(202);
      const oldOnly = signing(gw.clock.now());
      expect(await post(gw, app, oldOnly, [oldOnly.v1(app.event_secret)]), "old, during").to.equal(202);

      gw.clock.advance((gw.settings.SECRET_ROTATION_OVERLAP_SECONDS + 60) * 1000);
      const after = signing(gw.clock.now());
      expect(await post(gw, app, after, both(after)), "both, after the overlap").to.equal(202);
      const stale = signing(gw.clock.now());
      expect(await post(gw, app, stale, [stale.v1(app.event_secret)]), "old, after").to.equal(401);
    } finally {
      await gw.close();
    }
  });
});
