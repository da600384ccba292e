import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { pino } from "pino";
import { startTestGateway, type TestGateway } from "../support/test-gateway.js";

describe("queue dashboard at /admin/queues", () => {
  let gw: TestGateway;
  const logLines: string[] = [];

  before(async () => {
    // Given, not generated: a generated token is printed once at start, on purpose.
    gw = await startTestGateway(
      { PUSHGATE_ADMIN_TOKEN: `adm_${randomBytes(16).toString("hex")}` },
      pino({ level: "info" }, { write: (line: string) => logLines.push(line) }),
    );
  });
  after(() => gw.close());

  const open = (pathname: string, headers: Record<string, string> = {}) =>
    fetch(gw.url + pathname, { headers, redirect: "manual" });

  async function exchangeToken(): Promise<string> {
    const response = await open(`/admin/queues?token=${encodeURIComponent(gw.adminToken)}`);
    expect(response.status).to.equal(303);
    const [cookie = ""] = response.headers.getSetCookie();
    return cookie.split(";")[0] as string;
  }

  it("refuses a request without the admin token", async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer not-the-token" }];
    for (const headers of attempts) {
      const response = await open("/admin/queues", headers);
      expect(response.status).to.equal(401);
      expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
      expect(response.headers.get("www-authenticate")).to.match(/^Bearer/);
    }
  });

  it("shows the dashboard to a bearer of the admin token", async () => {
    const response = await open("/admin/queues", { authorization: `Bearer ${gw.adminToken}` });
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.match(/^text\/html/);
    expect(await response.text()).to.include("<title>Pushgate queues</title>");
    expect(response.headers.get("x-powered-by")).to.equal(null);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp, "no web fonts from a CDN").to.not.include("https:");
  });

  it("exchanges ?token= once for an HttpOnly cookie and sends the browser on without it", async () => {
    const response = await open(`/admin/queues?token=${encodeURIComponent(gw.adminToken)}&x=1`);
    expect(response.status).to.equal(303);
    expect(response.headers.get("location")).to.equal("/admin/queues?x=1");
    const [cookie = ""] = response.headers.getSetCookie();
    expect(cookie).to.match(/^pushgate_admin=/);
    expect(cookie).to.not.include(gw.adminToken);
    expect(cookie).to.match(/; HttpOnly/i);
    expect(cookie).to.match(/; SameSite=Strict/i);
    expect(cookie).to.match(/; Path=\/admin(;|$)/);

    const page = await open("/admin/queues", { cookie: cookie.split(";")[0] as string });
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include("Pushgate queues");
  });

  it("lets the cookie open the dashboard's API, listing every queue", async () => {
    const cookie = await exchangeToken();
    const response = await open("/admin/queues/api/queues", { cookie });
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { queues: { name: string }[] };
    expect(body.queues.map((queue) => queue.name)).to.include.members([
      "events",
      "deliveries",
      "maintenance",
    ]);
  });

  it("refuses a wrong ?token= and a forged cookie, and the cookie opens nothing outside /admin", async () => {
    const wrong = await open("/admin/queues?token=not-the-token");
    expect(wrong.status).to.equal(401);
    expect(wrong.headers.getSetCookie()).to.deep.equal([]);

    const cookie = await exchangeToken();
    const [name, value = ""] = cookie.split("=");
    const [expiresAt, id, mac = ""] = value.split(".");
    const later = `${name}=${Number(expiresAt) + 3600}.${id}.${mac}`;
    expect((await open("/admin/queues", { cookie: later })).status).to.equal(401);
    expect(
      (await open("/admin/queues", { cookie: `${name}=${expiresAt}.${id}.${mac.slice(1)}x` })).status,
    ).to.equal(401);
    expect((await open("/v1/apps", { cookie })).status).to.equal(401);
  });

  it("signing out ends the cookie for good: a copy of it opens nothing afterwards", async () => {
    const cookie = await exchangeToken();
    const other = await exchangeToken();
    expect((await open("/admin/queues", { cookie })).status).to.equal(200);
    const signOut = await fetch(`${gw.url}/admin/sign-out`, {
      method: "POST",
      headers: { cookie },
      redirect: "manual",
    });
    expect(signOut.status).to.equal(303);
    expect(signOut.headers.get("location")).to.equal("/console/sign-in");
    expect((await open("/admin/queues", { cookie })).status).to.equal(401);
    expect((await open("/admin/queues", { cookie: other })).status, "another browser's cookie").to.equal(200);
  });

  it("never writes the admin token to the log", async () => {
    await exchangeToken();
    await open(`/admin/queues?token=wrong-${gw.adminToken.slice(3)}`);
    const log = logLines.join("");
    expect(log).to.include("/admin/queues?token=[redacted]");
    expect(log).to.not.include(gw.adminToken);
    expect(log).to.not.include(gw.adminToken.slice(3));
  });
});
