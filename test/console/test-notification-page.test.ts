import { expect } from "chai";
import { signInToConsole } from "../support/console-session.js";
import { type PushWorld, startPushWorld, userWithDevices } from "../support/push-world.js";
import { followRedirect } from "./flash-redirect.js";

describe("operator console: a user's test notification", () => {
  let world: PushWorld;
  before(async () => {
    world = await startPushWorld();
  });
  after(() => world?.close());

  it("sends from the user page and shows each device's answer", async () => {
    const { cookie, csrf } = await signInToConsole(world.gw.url, world.gw.adminToken);
    const bob = await userWithDevices(world.gw, world.app, "bob", { android: true, ios: true });
    const lookup = await (
      await fetch(`${world.gw.url}/console/users?app=${world.app.id}&user=bob`, { headers: { cookie } })
    ).text();
    expect(lookup).to.include('action="/console/users/test-notification"');
    expect(lookup).to.include("Send a test notification");

    const pressed = await fetch(`${world.gw.url}/console/users/test-notification`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ _csrf: csrf, app: world.app.id, user: "bob", channel: "" }),
      redirect: "manual",
    });
    const { text, location } = await followRedirect(world.gw.url, cookie, pressed);
    expect(location).to.equal(`/console/users?app=${world.app.id}&user=bob`);
    expect(text).to.include("Test notification");
    expect(text).to.include("No toggle would stop a real message now.");
    expect(text).to.match(new RegExp(`gcm …${(bob.android as string).slice(-8)} sent 200`));
    expect(text).to.match(new RegExp(`apns …${(bob.ios as string).slice(-8)} sent 200`));
    expect(world.sims.received.forToken(bob.android as string)).to.have.length(1);
    expect(world.sims.received.forToken(bob.ios as string)).to.have.length(1);
  });

  it("refuses the button without the CSRF field", async () => {
    const { cookie } = await signInToConsole(world.gw.url, world.gw.adminToken);
    const pressed = await fetch(`${world.gw.url}/console/users/test-notification`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ app: world.app.id, user: "bob" }),
    });
    expect(pressed.status).to.equal(403);
  });

  it("spends the API's budget of test notifications per user: a 429 page past it, another user still gets through", async () => {
    const limited = await startPushWorld({ RATE_LIMIT_TEST_NOTIFICATIONS_PER_USER_PER_MINUTE: 2 });
    try {
      const { cookie, csrf } = await signInToConsole(limited.gw.url, limited.gw.adminToken);
      await userWithDevices(limited.gw, limited.app, "carol", { android: true });
      await userWithDevices(limited.gw, limited.app, "dave", { android: true });
      const press = (user: string) =>
        fetch(`${limited.gw.url}/console/users/test-notification`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
          body: new URLSearchParams({ _csrf: csrf, app: limited.app.id, user, channel: "" }),
          redirect: "manual",
        });
      const viaApi = await limited.gw.request(
        "POST",
        `/v1/apps/${limited.app.id}/users/carol/test-notification`,
        {
          token: limited.app.server_key,
          body: {},
        },
      );
      expect(viaApi.status).to.equal(200);
      expect((await press("carol")).status).to.equal(303);

      const refused = await press("carol");
      expect(refused.status).to.equal(429);
      expect(Number(refused.headers.get("retry-after"))).to.be.within(1, 60);
      expect(await refused.text()).to.include("Too many attempts");
      expect((await press("dave")).status, "another user's budget").to.equal(303);
      expect(limited.sims.received.entries).to.have.length(3);
    } finally {
      await limited.close();
    }
  });
});
