import { expect } from "chai";
import { signInToConsole } from "../support/console-session.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { followRedirect } from "./flash-redirect.js";

/** Over plain HTTP: one-time outcomes after a redirect, the sign-in limit, the favicon, who may delete. */
describe("operator console actions over HTTP", () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.close());

  const form = (cookie: string) => ({ "content-type": "application/x-www-form-urlencoded", cookie });

  function post(cookie: string, csrf: string, path: string, fields: Record<string, string> = {}) {
    return fetch(`${gw.url}/console${path}`, {
      method: "POST",
      headers: form(cookie),
      body: new URLSearchParams({ _csrf: csrf, ...fields }),
      redirect: "manual",
    });
  }

  it("shows a rotated secret on the page after the redirect once, even to a replayed flash cookie", async () => {
    const app = await createApp(gw);
    const { cookie, csrf } = await signInToConsole(gw.url, gw.adminToken);
    const rotated = await post(cookie, csrf, `/apps/${app.id}/secrets/event-secret/rotate`);
    const flashCookie = rotated.headers
      .getSetCookie()
      .find((header) => header.startsWith("pushgate_console_flash="));
    expect(flashCookie)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Strict/i)
      .and.match(/Path=\/console/);
    const shown = await followRedirect(gw.url, cookie, rotated);
    expect(shown.location).to.equal(`/console/apps/${app.id}`);
    const secret = /<code class="secret" id="secret-0">([^<]+)<\/code>/.exec(shown.html)?.[1] ?? "";
    expect(secret).to.match(/^whsec_/);
    expect(flashCookie, "sealed: the secret is not readable in the cookie").not.to.include(secret);

    const reloaded = await (await fetch(`${gw.url}${shown.location}`, { headers: { cookie } })).text();
    expect(reloaded).not.to.include(secret);
    // Another session cannot open it either.
    const other = await signInToConsole(gw.url, gw.adminToken);
    const stolen = await fetch(`${gw.url}${shown.location}`, {
      headers: { cookie: `${other.cookie}; ${(flashCookie ?? "").split(";")[0]}` },
    });
    expect(await stolen.text()).not.to.include(secret);
  });

  it("asks before rotating or turning push off: the GET changes nothing", async () => {
    const app = await createApp(gw);
    const { cookie } = await signInToConsole(gw.url, gw.adminToken);
    for (const path of [`/apps/${app.id}/secrets/server-key/rotate`, `/apps/${app.id}/push/off`]) {
      const question = await fetch(`${gw.url}/console${path}`, { headers: { cookie } });
      expect(question.status).to.equal(200);
      expect(await question.text()).to.include(`method="post" action="/console${path.replace("/off", "")}"`);
    }
    const keys = await gw.gateway.store.apps.activeSecrets(app.id, "server_key", new Date());
    expect(keys.map((key) => key.value)).to.deep.equal([app.server_key]);
    expect(
      (await gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key })).body.push_enabled,
    ).to.equal(true);
  });

  it("lets only the operator delete an app", async () => {
    const app = await createApp(gw);
    const own = await signInToConsole(gw.url, app.server_key);
    expect(
      (await fetch(`${gw.url}/console/apps/${app.id}/delete`, { headers: { cookie: own.cookie } })).status,
    ).to.equal(403);
    expect((await post(own.cookie, own.csrf, `/apps/${app.id}/delete`)).status).to.equal(403);
    const appPage = await (
      await fetch(`${gw.url}/console/apps/${app.id}`, { headers: { cookie: own.cookie } })
    ).text();
    expect(appPage).not.to.include("/delete");

    const admin = await signInToConsole(gw.url, gw.adminToken);
    const deleted = await followRedirect(
      gw.url,
      admin.cookie,
      await post(admin.cookie, admin.csrf, `/apps/${app.id}/delete`),
    );
    expect(deleted.location).to.equal("/console/apps");
    expect(deleted.text).to.include(`is deleted`);
    expect((await gw.request("GET", `/v1/apps/${app.id}`, { token: gw.adminToken })).status).to.equal(404);
  });

  it("limits sign-in attempts per address and kind of credential, with a 429 page that says when to retry", async () => {
    // A gateway of its own: the guesses spend this address's budget for every later sign-in.
    const limited = await startTestGateway();
    try {
      await expectSignInLimited(limited);
    } finally {
      await limited.close();
    }
  });

  it("behind a trusted proxy, keys the sign-in limit by the forwarded client and marks cookies Secure for https", async () => {
    const proxied = await startTestGateway({ TRUST_PROXY: "true" });
    try {
      const from = async (address: string) => {
        const headers = { "x-forwarded-for": address, "x-forwarded-proto": "https" };
        const page = await fetch(`${proxied.url}/console/sign-in`, { headers });
        const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0] as string;
        const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
        return (credential: string) =>
          fetch(`${proxied.url}/console/sign-in`, {
            method: "POST",
            headers: { ...form(cookie), ...headers },
            body: new URLSearchParams({ _csrf: csrf, credential }),
            redirect: "manual",
          });
      };
      const guesser = await from("203.0.113.9");
      for (let guess = 0; guess < 10; guess++) expect((await guesser(`guess-${guess}`)).status).to.equal(401);
      expect((await guesser(proxied.adminToken)).status, "the guesser spent its budget").to.equal(429);

      const operator = await from("198.51.100.7");
      const signedIn = await operator(proxied.adminToken);
      expect(signedIn.status, "another client behind the same proxy signs in").to.equal(303);
      const session = signedIn.headers
        .getSetCookie()
        .find((header) => header.startsWith("pushgate_console="));
      expect(session).to.match(/;\s*Secure/i);
    } finally {
      await proxied.close();
    }
  });

  async function expectSignInLimited(gw: TestGateway) {
    const page = await fetch(`${gw.url}/console/sign-in`);
    const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
    const attempt = (credential: string) =>
      fetch(`${gw.url}/console/sign-in`, {
        method: "POST",
        headers: form(cookie),
        body: new URLSearchParams({ _csrf: csrf, credential }),
        redirect: "manual",
      });
    for (let guess = 0; guess < 10; guess++) expect((await attempt(`guess-${guess}`)).status).to.equal(401);
    const refused = await attempt(gw.adminToken);
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get("retry-after"))).to.be.within(1, 60);
    expect(await refused.text())
      .to.include("Too many attempts")
      .and.include("Try again in");
    // Guesses at the admin token spend their own budget: a server key still signs in.
    const app = await createApp(gw);
    const withKey = await attempt(app.server_key);
    expect(withKey.status).to.equal(303);
  }

  it("serves a favicon, linked from every page and at /favicon.ico", async () => {
    const icon = await fetch(`${gw.url}/console/assets/favicon.svg`);
    expect(icon.status).to.equal(200);
    expect(icon.headers.get("content-type")).to.match(/^image\/svg\+xml/);
    expect(await icon.text()).to.include("<svg");
    const legacy = await fetch(`${gw.url}/favicon.ico`, { redirect: "manual" });
    expect(legacy.status).to.equal(301);
    expect(legacy.headers.get("location")).to.equal("/console/assets/favicon.svg");
    const signIn = await (await fetch(`${gw.url}/console/sign-in`)).text();
    expect(signIn).to.include('<link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml">');
  });

  it("answers 404 to an unknown or another app's ?app=, never another app in its place", async () => {
    const app = await createApp(gw);
    const other = await createApp(gw);
    const { cookie } = await signInToConsole(gw.url, app.server_key);
    for (const path of [
      "/users?app=app_nope",
      `/users?app=${other.id}`,
      "/live?app=app_nope",
      `/live?app=${other.id}`,
    ]) {
      expect((await fetch(`${gw.url}/console${path}`, { headers: { cookie } })).status, path).to.equal(404);
    }
  });

  it("sets the status callback in the settings form, and keeps what was typed when it is refused", async () => {
    const app = await createApp(gw);
    const { cookie, csrf } = await signInToConsole(gw.url, gw.adminToken);
    const save = (fields: [string, string][]) =>
      fetch(`${gw.url}/console/apps/${app.id}/settings`, {
        method: "POST",
        headers: form(cookie),
        body: new URLSearchParams([["_csrf", csrf], ["name", "Test app"], ["mode", "direct"], ...fields]),
        redirect: "manual",
      });
    const url = "http://127.0.0.1:9/status";
    const refused = await save([["status_callback_url", url]]);
    expect(refused.status).to.equal(400);
    const page = await refused.text();
    expect(page).to.include(`value="${url}"`).and.include("must name at least one callback type");
    expect(
      (await gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key })).body.status_callback,
    ).to.equal(null);

    const saved = await save([
      ["status_callback_url", url],
      ["status_callback_events", "event.failed"],
      ["status_callback_events", "webhook.disabled"],
    ]);
    expect(saved.status).to.equal(303);
    expect(
      (await gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key })).body.status_callback,
    ).to.deep.equal({ url, events: ["event.failed", "webhook.disabled"] });
    const shown = await (await fetch(`${gw.url}/console/apps/${app.id}`, { headers: { cookie } })).text();
    expect(shown)
      .to.match(/value="event.failed" checked>/)
      .and.not.match(/value="event.completed" checked>/);
  });
});
