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
});
