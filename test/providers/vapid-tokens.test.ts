import { expect } from "chai";
import { decodeJwt } from "jose";
import { VapidTokens } from "../../src/providers/webpush/vapid-tokens.js";
import { generateVapidKeys } from "../../src/security/vapid-keys.js";

describe("VAPID tokens, signed once per app and push service", () => {
  const keys = generateVapidKeys();
  const credentials = { subject: "mailto:ops@acme.example", ...keys };
  const claims = (authorization: string) => decodeJwt(/t=([^,]+)/.exec(authorization)?.[1] as string);

  it("reuses an app's token for one push service, and signs another for another service", () => {
    let now = Date.parse("2026-11-30T10:00:00Z");
    const tokens = new VapidTokens(() => now);
    const first = tokens.authorization(credentials, "https://fcm.googleapis.com/fcm/send/abc");
    expect(tokens.authorization(credentials, "https://fcm.googleapis.com/fcm/send/def")).to.equal(first);
    expect(first).to.include(`k=${keys.publicKey}`);
    expect(claims(first)).to.include({ aud: "https://fcm.googleapis.com", sub: credentials.subject });
    expect(claims(first).exp).to.equal(now / 1000 + 7200);

    const other = tokens.authorization(credentials, "https://updates.push.services.mozilla.com/wpush/v2/x");
    expect(claims(other).aud).to.equal("https://updates.push.services.mozilla.com");

    now += 3600_000;
    const renewed = tokens.authorization(credentials, "https://fcm.googleapis.com/fcm/send/abc");
    expect(renewed).not.to.equal(first);
    expect(claims(renewed).exp).to.equal(now / 1000 + 7200);
  });
});
