import { expect } from "chai";
import { signInToConsole } from "../support/console-session.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { followRedirect } from "./flash-redirect.js";

/** The console's template editor over plain HTTP: the pages as served without JavaScript. */
describe("operator console: notification wording", () => {
  let gw: TestGateway;
  let cookie: string;
  let csrf: string;
  before(async () => {
    gw = await startTestGateway();
    ({ cookie, csrf } = await signInToConsole(gw.url, gw.adminToken));
  });
  after(() => gw.close());

  const get = (path: string) =>
    fetch(`${gw.url}/console${path}`, { headers: { cookie }, redirect: "manual" });
  const post = (path: string, fields: [string, string][]) =>
    fetch(`${gw.url}/console${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams([["_csrf", csrf], ...fields]),
      redirect: "manual",
    });

  /** The editor's fields for locales given as [tag, title, body, burst_body], then the blank row. */
  function localeFields(...rows: [string, string, string, string][]): [string, string][] {
    return [...rows, ["", "", "", ""] as const].flatMap(([tag, title, body, burst]) => [
      ["locale", tag],
      ["title", title],
      ["body", body],
      ["burst_body", burst],
    ]);
  }

  it("lists the five event types, built-in or customised, linked from the app's page", async () => {
    const app = await createApp(gw);
    await gw.request("PUT", `/v1/apps/${app.id}/templates/call.ringing`, {
      token: app.server_key,
      body: { locales: { fr: { title: "Appel de {{actor.name}}" } } },
    });
    expect(await (await get(`/apps/${app.id}`)).text()).to.include(
      `href="/console/apps/${app.id}/templates"`,
    );
    const list = await (await get(`/apps/${app.id}/templates`)).text();
    for (const type of ["channel.created", "channel.member_joined", "message.created", "notification.custom"])
      expect(list).to.include(`href="/console/apps/${app.id}/templates/${type}"`);
    expect(list).to.match(/call\.ringing<\/a><\/td>\s*<td>customised: fr<\/td>\s*<td><time/);
    expect(list.match(/built-in \(English\)/g)).to.have.length(4);
    expect((await get(`/apps/${app.id}/templates/nope.nope`)).status).to.equal(404);
  });

  it("shows the built-in wording in the editor with its preview of a sample event", async () => {
    const app = await createApp(gw);
    const page = await (await get(`/apps/${app.id}/templates/message.created`)).text();
    expect(page).to.include("<legend>Locale en</legend>").and.include("{{actor.name}} ({{channel.name}})");
    expect(page).to.include('<option value="message.created.text" selected>');
    expect(page).to.include("<dt>Title</dt><dd>Bob Nguyen (Design Team)</dd>");
    expect(page).not.to.include("Back to built-in wording");
  });

  it("refuses a bad template as PUT does, naming each path and keeping what was typed", async () => {
    const app = await createApp(gw);
    const response = await post(`/apps/${app.id}/templates/message.created`, [
      ...localeFields(["fr", "{{actor.nom}} <b>", "{{#channel}}", ""], ["xx-!!", "ok", "", ""]),
      ["apns_sound", ""],
      ["action", "save"],
    ]);
    expect(response.status).to.equal(400);
    const page = await response.text();
    expect(page).to.include("<code>locales.fr.title</code>: unknown variable &quot;actor.nom&quot;");
    expect(page).to.include("<code>locales.fr.body</code>");
    expect(page).to.include("<code>locales.xx-!!</code>");
    expect(page).to.include('aria-invalid="true" aria-describedby="l0-title-error"');
    expect(page).to.include(">{{actor.nom}} &lt;b&gt;</textarea>", "typed text, escaped");
    expect(page).to.include('value="xx-!!"');
    const stored = await gw.request("GET", `/v1/apps/${app.id}/templates/message.created`, {
      token: app.server_key,
    });
    expect(stored.body.built_in).to.equal(true);
  });

  it("saves, redirects to the editor with a notice, and goes back to the built-in wording after confirming", async () => {
    const app = await createApp(gw);
    const path = `/apps/${app.id}/templates/channel.created`;
    const saved = await post(path, [
      ...localeFields(
        ["fr-ca", "{{channel.name}}", "Bienvenue dans {{channel.name}}", ""],
        ["en", "", "", ""],
      ),
      ["remove", "1"],
      ["apns_sound", "ping.caf"],
      ["apns_mutable_content", "on"],
      ["android_channel_id", "channels"],
      ["action", "save"],
    ]);
    expect(saved.status).to.equal(303);
    const afterSave = await followRedirect(gw.url, cookie, saved);
    expect(afterSave.location).to.equal(`/console${path}`);
    const stored = await gw.request("GET", `/v1/apps/${app.id}/templates/channel.created`, {
      token: app.server_key,
    });
    expect(stored.body.template).to.deep.equal({
      locales: { "fr-CA": { title: "{{channel.name}}", body: "Bienvenue dans {{channel.name}}" } },
      apns: { sound: "ping.caf", mutable_content: true },
      android: { channel_id: "channels" },
    });
    expect(afterSave.html).to.match(/id="notice"[^>]*tabindex="-1" autofocus>\s*<p>The wording is saved\./);
    expect(afterSave.html).to.include("Back to built-in wording");
    expect(await (await get(path)).text(), "shown once").not.to.include("The wording is saved.");

    const confirm = await (await get(`${path}/reset`)).text();
    expect(confirm).to.include("fr-CA").and.include("Delete the app's wording");
    const reset = await post(`${path}/reset`, []);
    const list = await followRedirect(gw.url, cookie, reset);
    expect(list.location).to.equal(`/console/apps/${app.id}/templates`);
    expect(list.text).to.include("channel.created is back to the built-in wording.");
    const after = await gw.request("GET", `/v1/apps/${app.id}/templates/channel.created`, {
      token: app.server_key,
    });
    expect(after.body.built_in).to.equal(true);
  });

  it("previews a draft without JavaScript, and as JSON for the live preview, as the API's preview does", async () => {
    const app = await createApp(gw, { default_locale: "de" });
    const draft = localeFields(["fr", "{{actor.name}} appelle", "Appel {{call.kind}}", ""]);
    const response = await post(`/apps/${app.id}/templates/call.ringing`, [
      ...draft,
      ["sample", "call.ringing"],
      ["preview_locale", "fr-CA"],
      ["action", "preview"],
    ]);
    expect(response.status).to.equal(200);
    const page = await response.text();
    const json = await post(`/apps/${app.id}/templates/call.ringing/preview`, [
      ...draft,
      ["sample", "call.ringing"],
      ["preview_locale", "fr-CA"],
    ]);
    const preview = (await json.json()) as { title: string; locale_used: string };
    expect(preview.locale_used).to.equal("fr");
    expect(page).to.include(`<dt>Title</dt><dd>${preview.title}</dd>`);
    expect(page).to.include("<dt>Locale used</dt><dd>fr</dd>");
    const stored = await gw.request("GET", `/v1/apps/${app.id}/templates/call.ringing`, {
      token: app.server_key,
    });
    expect(stored.body.built_in, "a preview stores nothing").to.equal(true);

    const bad = await post(`/apps/${app.id}/templates/call.ringing/preview`, [
      ...draft,
      ["sample", "call.ringing"],
      ["preview_locale", "not a tag!"],
    ]);
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]?.path).to.equal("preview_locale");
  });

  it("sets the app's default locale in the settings form, and names a bad one beside the field", async () => {
    const app = await createApp(gw);
    const settings = (locale: string) =>
      post(`/apps/${app.id}/settings`, [
        ["name", "Test app"],
        ["mode", "direct"],
        ["notification_ttl_seconds", "3600"],
        ["default_locale", locale],
      ]);
    expect((await settings("pt-br")).status).to.equal(303);
    expect(
      (await gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key })).body.default_locale,
    ).to.equal("pt-BR");
    const refused = await settings("no such tag!");
    expect(refused.status).to.equal(400);
    const page = await refused.text();
    expect(page).to.include('id="default-locale-error"').and.include('value="no such tag!"');
    expect(
      (await gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key })).body.default_locale,
    ).to.equal("pt-BR");
  });
});
