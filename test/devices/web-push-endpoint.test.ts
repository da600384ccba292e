import { expect } from "chai";
import {
  allowedHostsOf,
  hostAllowed,
  webPushEndpointCheck,
} from "../../src/domain/devices/web-push-endpoint.js";
import { InvalidInputError } from "../../src/domain/errors.js";
import { checkWebhookTarget } from "../../src/webhooks/target-guard.js";

describe("which Web Push endpoints a registration may name", () => {
  const vendors = allowedHostsOf(
    "fcm.googleapis.com, *.push.services.mozilla.com,*.notify.windows.com,*.push.apple.com",
  );

  it("allows the browser vendors' push services by name or by domain", () => {
    expect(hostAllowed("fcm.googleapis.com", vendors)).to.equal(true);
    expect(hostAllowed("updates.push.services.mozilla.com", vendors)).to.equal(true);
    expect(hostAllowed("web.push.apple.com", vendors)).to.equal(true);
    expect(hostAllowed("FCM.googleapis.com", vendors)).to.equal(true);
  });

  it("refuses any other host, including look-alikes", () => {
    expect(hostAllowed("push.services.mozilla.com.attacker.example", vendors)).to.equal(false);
    expect(hostAllowed("evilpush.apple.com", vendors)).to.equal(false);
    expect(hostAllowed("googleapis.com", vendors)).to.equal(false);
    expect(hostAllowed("169.254.169.254", vendors)).to.equal(false);
  });

  it("also refuses an allowed host that resolves to a private address, naming subscription.endpoint", async () => {
    const check = webPushEndpointCheck(["localhost"], checkWebhookTarget);
    const refused = await check("https://localhost/push/1").then(
      () => expect.fail("a loopback endpoint was accepted"),
      (error: unknown) => error,
    );
    expect(refused).to.be.instanceOf(InvalidInputError);
    expect((refused as InvalidInputError).errors).to.have.length(1);
    const [field] = (refused as InvalidInputError).errors;
    expect(field?.path).to.equal("subscription.endpoint");
    expect(field?.message).to.match(/loopback, private or reserved address/);
  });
});
