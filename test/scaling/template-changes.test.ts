import { expect } from "chai";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { fcmPayload, type PushWorld, startPushWorld, userWithDevices } from "../support/push-world.js";
import { startTestGateway, type TestGateway } from "../support/test-gateway.js";

/**
 * The template cache's age bound (src/runtime/gateway.ts): a worker reads the templates again
 * after it at the latest, so a new wording sent sooner after the cache was filled was announced.
 */
const cacheMaxAgeMs = 10_000;

describe("a template edited through one gateway process, used by another's worker", () => {
  let api: PushWorld;
  let worker: TestGateway;
  let token: string;

  before(async () => {
    api = await startPushWorld({ PUSHGATE_ROLE: "api" });
    worker = await startTestGateway({
      ...api.sims.env,
      PUSHGATE_ROLE: "worker",
      DATA_DIR: api.gw.dataDir,
      DATABASE_URL: api.gw.settings.DATABASE_URL,
      REDIS_PREFIX: api.gw.settings.REDIS_PREFIX,
    });
    token = (await userWithDevices(api.gw, api.app, "u2", { android: true })).android as string;
  });
  after(async () => {
    await worker?.close();
    await api?.close();
  });

  const templatePath = () => `/v1/apps/${api.app.id}/templates/message.created`;

  /** Sends a message to u2 through the API process: the wording the worker sent. */
  async function sent(): Promise<{ title?: string; body?: string } | undefined> {
    api.sims.received.clear();
    const event = messageEvent({ channel: { id: "c1", display_name: "Team", member_ids: ["u1", "u2"] } });
    expect((await postEvent(api.gw, api.app, event)).status).to.equal(202);
    await waitForEvent(api.gw, api.app, event.id);
    const [received] = await api.sims.received.waitFor(1);
    expect(received?.token).to.equal(token);
    return fcmPayload(received).notification;
  }

  async function putTemplate(title: string): Promise<number> {
    const put = await api.gw.request("PUT", templatePath(), {
      token: api.gw.adminToken,
      body: { locales: { en: { title, body: "{{message.text}}" } } },
    });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    return Date.now();
  }

  it("sends the new wording at once after a PUT, and the built-in one at once after a DELETE", async () => {
    await putTemplate("v1 {{channel.name}}");
    const v1CachedFrom = Date.now();
    // The worker now holds the app's templates in its cache, v1 among them.
    expect(await sent()).to.deep.include({ title: "v1 Team", body: "hello" });

    await putTemplate("v2 {{channel.name}}");
    const v2CachedFrom = Date.now();
    expect(await sent()).to.deep.include({ title: "v2 Team", body: "hello" });
    expect(Date.now() - v1CachedFrom, "v2 sent while v1 was still fresh in the cache").to.be.below(
      cacheMaxAgeMs,
    );

    const deleted = await api.gw.request("DELETE", templatePath(), { token: api.gw.adminToken });
    expect(deleted.status).to.equal(204);
    expect(await sent()).to.deep.include({ title: "Alice (Team)", body: "hello" });
    expect(Date.now() - v2CachedFrom, "the built-in one sent while v2 was still fresh").to.be.below(
      cacheMaxAgeMs,
    );
  });
});
