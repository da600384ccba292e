import { expect } from "chai";
import { consolePageText, signInToConsole } from "../support/console-session.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { followRedirect } from "./flash-redirect.js";

/**
 * The fields a browser would send from the app page's settings form, as the page shows them:
 * text and number inputs with their values, ticked boxes, each select's selected option.
 */
function settingsFormFields(page: string): [string, string][] {
  const form = /<form[^>]*action="[^"]*\/settings"[^>]*>([\s\S]*?)<\/form>/.exec(page)?.[1] ?? "";
  const fields: [string, string][] = [];
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input)?.[1];
    const value = /\bvalue="([^"]*)"/.exec(input)?.[1] ?? "";
    if (!name) continue;
    if (/type="checkbox"/.test(input)) {
      if (/\bchecked\b/.test(input)) fields.push([name, /\bvalue=/.test(input) ? value : "on"]);
    } else {
      fields.push([name, value.replace(/&amp;/g, "&")]);
    }
  }
  for (const [, name, options] of form.matchAll(/<select[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen =
      /<option value="([^"]*)" selected>/.exec(options ?? "") ??
      /<option value="([^"]*)"/.exec(options ?? "");
    fields.push([name as string, chosen?.[1] ?? ""]);
  }
  return fields;
}

/** The app page's webhook switch and off banner, and the settings form's routing and breaker fields. */
describe("operator console: the webhook's on/off state, routing and breaker", () => {
  let gw: TestGateway;
  let cookie: string;
  let csrf: string;
  before(async () => {
    gw = await startTestGateway();
    ({ cookie, csrf } = await signInToConsole(gw.url, gw.adminToken));
  });
  after(() => gw.close());

  const pageText = (path: string) => consolePageText(gw.url, cookie, path);
  const appPageHtml = async (appId: string) =>
    (await fetch(`${gw.url}/console/apps/${appId}`, { headers: { cookie } })).text();
  const storedWebhook = async (appId: string) =>
    (await gw.request("GET", `/v1/apps/${appId}`, { token: gw.adminToken })).body.webhook;

  /** The app's row in the app list. */
  const listRow = async (appId: string) => {
    const list = await (await fetch(`${gw.url}/console/apps`, { headers: { cookie } })).text();
    return (
      new RegExp(`<tr>\\s*<td><a [^>]*href="/console/apps/${appId}">[\\s\\S]*?</tr>`).exec(list)?.[0] ?? ""
    );
  };

  function post(path: string, fields: [string, string][] = []) {
    return fetch(`${gw.url}/console${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams([["_csrf", csrf], ...fields]),
      redirect: "manual",
    });
  }

  /** Saves the settings form as the page shows it, with `changes` typed over it. */
  async function saveShownSettings(appId: string, changes: Record<string, string | string[]> = {}) {
    const shown = settingsFormFields(await appPageHtml(appId)).filter(([name]) => !(name in changes));
    const typed = Object.entries(changes).flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((one): [string, string] => [name, one]),
    );
    return post(`/apps/${appId}/settings`, [...shown, ...typed]);
  }

  const webhookApp = (webhook: Record<string, unknown> = {}) =>
    createApp(gw, { mode: "webhook", webhook: { url: "http://127.0.0.1:9/hook", ...webhook } });

  it("saving the settings form leaves a webhook an operator turned off off, and keeps the routing and breaker set through the API", async () => {
    const app = await webhookApp();
    const routed = {
      event_types: ["message.created", "call.ringing"],
      other_events: "drop",
      disable_after_failures: 7,
      disable_after_minutes: 2.5,
    };
    const patched = await gw.request("PATCH", `/v1/apps/${app.id}`, {
      token: app.server_key,
      body: { webhook: { ...routed, enabled: false } },
    });
    expect(patched.status).to.equal(200);

    const saved = await saveShownSettings(app.id, { name: "Renamed" });
    expect(saved.status).to.equal(303);
    const webhook = await storedWebhook(app.id);
    expect(webhook).to.include({ enabled: false, disabled_reason: "turned off by an operator" });
    expect(webhook).to.deep.include(routed);
    expect((await gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key })).body.name).to.equal(
      "Renamed",
    );
  });

  it("shows a banner while an operator has the webhook off, and turns it back on", async () => {
    const app = await webhookApp({ fallback: "send" });
    const on = await pageText(`/apps/${app.id}`);
    expect(on).to.include("Webhook: on").and.not.include("The webhook is off");

    const question = await pageText(`/apps/${app.id}/webhook/off`);
    expect(question).to.include("Turn the webhook of Test app off?").and.include("sent without your server");
    expect((await storedWebhook(app.id)).enabled, "asking changes nothing").to.equal(true);
    const off = await followRedirect(gw.url, cookie, await post(`/apps/${app.id}/webhook/off`));
    expect(off.html).to.match(/role="alert"[^>]*>\s*<h2[^>]*>The webhook is off/);
    expect((await storedWebhook(app.id)).enabled).to.equal(false);
    const banner = await pageText(`/apps/${app.id}`);
    expect(banner)
      .to.include("The webhook is off")
      .and.include("Reason: turned off by an operator.")
      .and.include("sent without your server")
      .and.include("it is not probed")
      .and.not.include("Webhook: on");
    expect(await listRow(app.id)).to.include("webhook off");

    const back = await followRedirect(gw.url, cookie, await post(`/apps/${app.id}/webhook/on`));
    expect(back.text).to.include("The webhook is back on.").and.not.include("The webhook is off");
    expect(await storedWebhook(app.id)).to.include({ enabled: true, disabled_at: null });
    expect(await listRow(app.id))
      .to.include("webhook")
      .and.not.include("webhook off");
  });

  it("tells of a webhook its failures turned off that it is probed and comes back by itself", async () => {
    const app = await webhookApp();
    const at = new Date("2026-03-01T10:15:00Z");
    const reason = "100 calls in a row failed over 61 minutes; the last: HTTP 503 <busy>";
    await gw.gateway.store.apps.disableWebhook(app.id, { at, reason, by: "failures" });

    const page = await appPageHtml(app.id);
    expect(page).to.include('<time datetime="2026-03-01T10:15:00.000Z">');
    expect(page).to.include("HTTP 503 &lt;busy&gt;").and.not.include("<busy>");
    const text = await pageText(`/apps/${app.id}`);
    expect(text)
      .to.include("Off since 2026-03-01 10:15:00 UTC")
      .and.include("not sent")
      .and.include("One event a minute is still sent to it as a probe")
      .and.include("the first probe it answers turns it back on by itself");

    expect((await post(`/apps/${app.id}/webhook/on`)).status).to.equal(303);
    expect((await storedWebhook(app.id)).enabled).to.equal(true);
  });

  it("saves the event types, what becomes of the others and the breaker from the settings form", async () => {
    const app = await webhookApp();
    const saved = await saveShownSettings(app.id, {
      webhook_event_types: ["message.created", "notification.custom"],
      webhook_other_events: "drop",
      webhook_disable_after_failures: "25",
      webhook_disable_after_minutes: "0.5",
    });
    const { html: page } = await followRedirect(gw.url, cookie, saved);
    expect(page).to.match(/value="message.created" checked>/);
    expect(page).not.to.match(/value="call.ringing" checked>/);
    expect(page).to.match(/name="webhook_disable_after_minutes"[^>]*value="0.5"/);
    expect(await storedWebhook(app.id)).to.deep.include({
      event_types: ["message.created", "notification.custom"],
      other_events: "drop",
      disable_after_failures: 25,
      disable_after_minutes: 0.5,
      enabled: true,
    });

    const everyType = await saveShownSettings(app.id, { webhook_event_types: [] });
    expect(everyType.status).to.equal(303);
    expect((await storedWebhook(app.id)).event_types).to.equal(null);
  });

  it("refuses breaker values the API refuses, with the console's error display", async () => {
    const app = await webhookApp();
    const refused = await saveShownSettings(app.id, {
      webhook_disable_after_failures: "2.5",
      webhook_disable_after_minutes: "20000",
    });
    expect(refused.status).to.equal(400);
    const page = await refused.text();
    expect(page).to.include('class="error-summary" role="alert"');
    expect(page)
      .to.include("webhook.disable_after_failures")
      .and.include("must be a whole number of calls")
      .and.include("webhook.disable_after_minutes");
    expect(await storedWebhook(app.id)).to.include({
      disable_after_failures: 100,
      disable_after_minutes: 60,
    });
  });
});
