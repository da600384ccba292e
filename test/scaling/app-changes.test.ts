import { expect } from "chai";
import { messageEvent, postEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

/** The app cache's age bound (src/runtime/gateway.ts): a process reads the app again after it at the latest. */
const cacheMaxAgeMs = 10_000;

/**
 * Waits for `check` until shortly before the second process's cache would have read the app
 * again by itself (`cachedFrom` + its age bound): getting there earlier takes the announcement.
 */
async function beforeTheCacheAges(
  cachedFrom: number,
  check: () => Promise<boolean>,
  what: string,
): Promise<void> {
  const deadline = cachedFrom + cacheMaxAgeMs - 500;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what} did not happen before the cache's own age bound`);
}

describe("an app changed through one gateway process, seen by another", () => {
  let first: TestGateway;
  let second: TestGateway;

  beforeEach(async () => {
    first = await startTestGateway();
    second = await startTestGateway({
      PUSHGATE_ROLE: "api",
      DATA_DIR: first.dataDir,
      DATABASE_URL: first.settings.DATABASE_URL,
      REDIS_PREFIX: first.settings.REDIS_PREFIX,
    });
  });

  afterEach(async () => {
    await second?.close();
    await first?.close();
  });

  it("stops taking events for an app deleted elsewhere", async () => {
    const app = await createApp(first);
    const cachedFrom = Date.now();
    expect((await postEvent(second, app, messageEvent())).status).to.equal(202);
    expect(
      (await first.request("DELETE", `/v1/apps/${app.id}`, { token: first.adminToken })).status,
    ).to.equal(204);
    await beforeTheCacheAges(
      cachedFrom,
      async () => (await postEvent(second, app, messageEvent())).status === 404,
      "a 404 from the second process",
    );
  });

  it("verifies events with a secret rotated elsewhere", async () => {
    const app = await createApp(first);
    const cachedFrom = Date.now();
    expect((await postEvent(second, app, messageEvent())).status).to.equal(202);
    const rotated = await first.request("POST", `/v1/apps/${app.id}/secrets/event-secret/rotate`, {
      token: first.adminToken,
    });
    expect(rotated.status).to.equal(200);
    const withNewSecret = { ...app, event_secret: rotated.body.secret as string };
    await beforeTheCacheAges(
      cachedFrom,
      async () => (await postEvent(second, withNewSecret, messageEvent())).status === 202,
      "the new secret accepted by the second process",
    );
  });
});
