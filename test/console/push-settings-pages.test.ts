import { expect } from "chai";
import { consolePageText, signInToConsole } from "../support/console-session.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

/** The console's pages for the v2 push settings, over plain HTTP: the app's form and page, a user's badge, an event's folds. */
describe("operator console: badges, bursts, Web Push and variants", () => {
  let gw: TestGateway;
  let cookie: string;
  let csrf: string;
  before(async () => {
    gw = await startTestGateway();
    ({ cookie, csrf } = await signInToConsole(gw.url, gw.adminToken));
  });
  after(() => gw.close());

  const pageText = (path: string) => consolePageText(gw.url, cookie, path);

  function saveSettings(appId: string, fields: Record<string, string>) {
    return fetch(`${gw.url}/console/apps/${appId}/settings`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({
        _csrf: csrf,
        name: "Test app",
        mode: "direct",
        notification_ttl_seconds: "3600",
        ...fields,
      }),
    });
  }

  it("sets the badge and the burst window in the app's form, and refuses a window over an hour", async () => {
    const app = await createApp(gw);
    const saved = await saveSettings(app.id, { badge: "off", burst_window_seconds: "45" });
    expect(saved.status).to.equal(200);
    const page = await saved.text();
    expect(page).to.match(/<option value="off" selected>/);
    expect(page).to.match(/name="burst_window_seconds"[^>]*value="45"/);
    const stored = (await gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key })).body;
    expect(stored).to.include({ badge: "off", burst_window_seconds: 45 });

    const refused = await saveSettings(app.id, { burst_window_seconds: "7200" });
    expect(refused.status).to.equal(400);
    expect(await refused.text()).to.include("burst_window_seconds");
    const unchanged = (await gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key })).body;
    expect(unchanged.burst_window_seconds).to.equal(45);
  });

  it("shows a user's current badge, or that the app sends none", async () => {
    const app = await createApp(gw);
    await gw.request("PUT", `/v1/apps/${app.id}/users/u2/badge`, {
      token: app.server_key,
      body: { count: 7 },
    });
    expect(await pageText(`/users?app=${app.id}&user=u2`)).to.include(
      "Unread count, sent as the app icon's badge: 7",
    );

    await gw.request("PATCH", `/v1/apps/${app.id}`, { token: app.server_key, body: { badge: "off" } });
    expect(await pageText(`/users?app=${app.id}&user=u2`)).to.include("The app sends no badge");
  });

  it("shows the Web Push key browsers subscribe with, and the app's variants", async () => {
    const app = await createApp(gw, {
      webpush: { subject: "mailto:ops@acme.example" },
      variants: { enterprise: { webpush: { subject: "mailto:white-label@acme.example" } } },
    });
    const text = await pageText(`/apps/${app.id}`);
    expect(text).to.include((app.webpush as { vapid_public_key: string }).vapid_public_key);
    expect(text).to.include("enterprise").and.include("Web Push (mailto:white-label@acme.example)");
  });

  it("tells in an event's story how many notifications were folded into a burst", async () => {
    const app = await createApp(gw, { burst_window_seconds: 60 });
    const event = messageEvent();
    await postEvent(gw, app, event);
    await waitForEvent(gw, app, event.id);
    expect(await pageText(`/apps/${app.id}/events/${event.id}`)).to.match(/folded into a burst[^0-9]*0/);
  });
});
