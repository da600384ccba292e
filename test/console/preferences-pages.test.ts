import { expect } from "chai";
import { consolePageText, signInToConsole } from "../support/console-session.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

/** The console's pages for preferences, over plain HTTP: what a user's page and an event's story say. */
describe("operator console: preferences", () => {
  let gw: TestGateway;
  let cookie: string;
  let csrf: string;
  before(async () => {
    gw = await startTestGateway();
    ({ cookie, csrf } = await signInToConsole(gw.url, gw.adminToken));
  });
  after(() => gw.close());

  const pageText = (path: string) => consolePageText(gw.url, cookie, path);

  it("tells a user's running quiet hours and snooze in their zone, and their muted and mentions-only channels", async () => {
    const app = await createApp(gw);
    const asServer = { token: app.server_key };
    await gw.request("PUT", `/v1/apps/${app.id}/users/u2/notification-settings`, {
      ...asServer,
      body: {
        snoozed_until: "2099-01-15T06:00:00Z",
        quiet_hours: {
          time_zone: "Europe/Paris",
          windows: [
            { days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: "00:00", end: "24:00" },
          ],
          allow: ["call"],
        },
      },
    });
    const channel = (id: string, body: unknown) =>
      gw.request("PUT", `/v1/apps/${app.id}/users/u2/channels/${id}/notification-settings`, {
        ...asServer,
        body,
      });
    await channel("design", { muted_until: "2099-01-15T17:00:00Z" });
    await channel("random", { level: "mentions" });
    await channel("ops", { level: "none" });

    const text = await pageText(`/users?app=${app.id}&user=u2&channel=design`);
    expect(text).to.include("snoozed until 15 Jan 2099 07:00 Europe/Paris time");
    expect(text)
      .to.include("quiet hours until 24:00 Europe/Paris time")
      .and.include("still lets through: call");
    expect(text).to.include("muted in #design until 15 Jan 2099 18:00 Europe/Paris time");
    expect(text).to.include("#random: mentions only").and.include("#ops: off");
    expect(text).to.include("dropped", "what the app does with what they hold back");

    const nobody = await pageText(`/users?app=${app.id}&user=u9`);
    expect(nobody).to.include("not snoozed").and.include("none: every channel notifies");
  });

  it("names each check in an event's story, and sets quiet delivery in the app's form", async () => {
    const app = await createApp(gw);
    const asServer = { token: app.server_key };
    await gw.request("PUT", `/v1/apps/${app.id}/users/u2/notification-settings`, {
      ...asServer,
      body: { snoozed_until: "2099-01-01T00:00:00Z" },
    });
    await gw.request("PUT", `/v1/apps/${app.id}/users/u3/channels/c1/notification-settings`, {
      ...asServer,
      body: { level: "mentions" },
    });
    const event = messageEvent();
    await postEvent(gw, app, event);
    await waitForEvent(gw, app, event.id);
    const story = await pageText(`/apps/${app.id}/events/${event.id}`);
    expect(story).to.match(/the user's snooze 1/);
    expect(story).to.match(/the channel set to mentions only, without a mention 1/);

    const saved = await fetch(`${gw.url}/console/apps/${app.id}/settings`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({
        _csrf: csrf,
        name: "Test app",
        mode: "direct",
        notification_ttl_seconds: "3600",
        quiet_delivery: "silent",
      }),
    });
    expect(saved.status).to.equal(200);
    expect(await saved.text()).to.match(/<option value="silent" selected>/);
    expect((await gw.request("GET", `/v1/apps/${app.id}`, asServer)).body.quiet_delivery).to.equal("silent");
  });
});
