import { expect } from "chai";
import { messageEvent, postEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

/** Well under the cache's 10 s age bound: only an announced change gets there this soon. */
const announcedWithinMs = 3000;

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + announcedWithinMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what} did not happen within ${announcedWithinMs} ms`);
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
    expect((await postEvent(second, app, messageEvent())).status).to.equal(202);
    expect(
      (await first.request("DELETE", `/v1/apps/${app.id}`, { token: first.adminToken })).status,
    ).to.equal(204);
    await eventually(
      async () => (await postEvent(second, app, messageEvent())).status === 404,
      "a 404 from the second process",
    );
  });

  it("verifies events with a secret rotated elsewhere", async () => {
    const app = await createApp(first);
    expect((await postEvent(second, app, messageEvent())).status).to.equal(202);
    const rotated = await first.request("POST", `/v1/apps/${app.id}/secrets/event-secret/rotate`, {
      token: first.adminToken,
    });
    expect(rotated.status).to.equal(200);
    const withNewSecret = { ...app, event_secret: rotated.body.secret as string };
    await eventually(
      async () => (await postEvent(second, withNewSecret, messageEvent())).status === 202,
      "the new secret accepted by the second process",
    );
  });
});
