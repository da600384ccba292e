import { expect } from "chai";
import { startTestGateway, type TestGateway } from "../support/test-gateway.js";

/** What the console promises over plain HTTP: no browser needed. */
describe("operator console over HTTP", () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(async () => {
    await gw.close();
  });

  const formHeaders = (cookie: string) => ({
    "content-type": "application/x-www-form-urlencoded",
    cookie,
  });

  /** An anonymous session's cookie and the CSRF token of its sign-in form. */
  async function anonymous() {
    const response = await fetch(`${gw.url}/console/sign-in`);
    const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await response.text())?.[1] ?? "";
    return { cookie, csrf, headers: response.headers };
  }

  async function signedIn() {
    const { cookie, csrf } = await anonymous();
    const response = await fetch(`${gw.url}/console/sign-in`, {
      method: "POST",
      headers: formHeaders(cookie),
      body: new URLSearchParams({ _csrf: csrf, credential: gw.adminToken }),
      redirect: "manual",
    });
    expect(response.status).to.equal(303);
    const session = (response.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const page = await (await fetch(`${gw.url}/console/apps`, { headers: { cookie: session } })).text();
    return { cookie: session, csrf: /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "" };
  }

  it("serves pages under a strict CSP, in an HttpOnly SameSite=Strict cookie that holds no token", async () => {
    const { headers } = await anonymous();
    const policy = headers.get("content-security-policy") ?? "";
    expect(policy)
      .to.include("default-src 'none'")
      .and.include("script-src 'self'")
      .and.include("style-src 'self'");
    expect(policy).not.to.include("unsafe-inline");
    const cookie = headers.get("set-cookie") ?? "";
    expect(cookie)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Strict/i)
      .and.match(/Path=\/console/);
    const session = await signedIn();
    expect(session.cookie).not.to.include(gw.adminToken);
  });

  it("refuses a POST without the session's CSRF token", async () => {
    const { cookie, csrf } = await signedIn();
    const create = (token: string) =>
      fetch(`${gw.url}/console/apps`, {
        method: "POST",
        headers: formHeaders(cookie),
        body: new URLSearchParams({ _csrf: token, name: "Forged" }),
        redirect: "manual",
      });
    expect((await create("")).status).to.equal(403);
    expect((await create("x".repeat(43))).status).to.equal(403);
    expect((await create(csrf)).status).to.equal(303);
    const apps = await gw.request("GET", "/v1/apps", { token: gw.adminToken });
    expect(apps.body.apps.map((app: { name: string }) => app.name)).to.deep.equal(["Forged"]);
  });

  it("refuses a wrong credential and sends signed-out visitors to sign in", async () => {
    const { cookie, csrf } = await anonymous();
    const refused = await fetch(`${gw.url}/console/sign-in`, {
      method: "POST",
      headers: formHeaders(cookie),
      body: new URLSearchParams({ _csrf: csrf, credential: "sk_not_a_key" }),
    });
    expect(refused.status).to.equal(401);
    const page = await fetch(`${gw.url}/console/events`, { redirect: "manual" });
    expect(page.status).to.equal(303);
    expect(page.headers.get("location")).to.equal("/console/sign-in?next=%2Fconsole%2Fevents");
  });

  it("signing out ends the session for good, and passes through the queue dashboard's sign-out", async () => {
    const { cookie, csrf } = await signedIn();
    const copied = cookie;
    const postSignOutForm = (path: string) =>
      fetch(`${gw.url}${path}`, {
        method: "POST",
        headers: formHeaders(cookie),
        body: new URLSearchParams({ _csrf: csrf }),
        redirect: "manual",
      });
    const signOut = await postSignOutForm("/console/sign-out");
    expect(signOut.status).to.equal(307);
    expect(signOut.headers.get("location")).to.equal("/admin/sign-out");
    // A 307 has the browser post the same form there.
    const passedOn = await postSignOutForm("/admin/sign-out");
    expect(passedOn.status).to.equal(303);
    expect(passedOn.headers.get("location")).to.equal("/console/sign-in");
    expect(passedOn.headers.getSetCookie().join("\n"), "the dashboard's cookie cleared").to.match(
      /Expires=Thu, 01 Jan 1970/,
    );
    const reused = await fetch(`${gw.url}/console/apps`, { headers: { cookie: copied }, redirect: "manual" });
    expect(reused.status).to.equal(303);
    expect(reused.headers.get("location")).to.match(/^\/console\/sign-in/);
  });

  it("serves htmx from the gateway itself", async () => {
    const script = await fetch(`${gw.url}/console/assets/htmx.min.js`);
    expect(script.status).to.equal(200);
    expect(script.headers.get("content-type")).to.match(/javascript/);
    expect(await script.text()).to.include("htmx");
  });

  it("answers a browser whose copy of an asset is current with 304, though API answers carry no ETag", async () => {
    const first = await fetch(`${gw.url}/console/assets/console.css`);
    const entityTag = first.headers.get("etag");
    expect(entityTag).to.be.a("string");
    const again = await fetch(`${gw.url}/console/assets/console.css`, {
      // As a browser revalidates; fetch() would add `Cache-Control: no-cache`, which forbids a 304.
      headers: { "if-none-match": entityTag as string, "cache-control": "max-age=0" },
    });
    expect(again.status).to.equal(304);
    const health = await fetch(`${gw.url}/healthz`);
    expect(health.status).to.equal(200);
    expect(health.headers.get("etag")).to.equal(null);
  });
});
