import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { Redis } from "ioredis";
import { signInToConsole } from "../support/console-session.js";
import { DisposableRedis } from "../support/disposable-redis.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { type PushWorld, startPushWorld, userWithDevices } from "../support/push-world.js";
import type { TestResponse } from "../support/test-gateway.js";

/**
 * A replay starts a new run in the database and queues it; when the queue does not take it, the
 * event must not be left looking queued (its counts reset) with nothing queued to run it.
 */
describe("replay when the queue does not take the event", () => {
  let redis: DisposableRedis;
  let world: PushWorld;
  /** Events that ran to completion, as their status read before Redis failed. */
  const finished: Record<string, unknown>[] = [];
  let operator: { cookie: string; csrf: string };

  const statusOf = async (id: string) =>
    (
      await world.gw.request("GET", `/v1/apps/${world.app.id}/events/${id}`, {
        token: world.app.server_key,
      })
    ).body;
  const replayOne = (id: string) =>
    world.gw.request("POST", `/v1/apps/${world.app.id}/events/${id}/replay`, { token: world.app.server_key });
  const replayCompleted = () =>
    world.gw.request("POST", `/v1/apps/${world.app.id}/events/replay`, {
      token: world.app.server_key,
      body: { status: "completed" },
    });

  async function expectEventsAsTheyWere(): Promise<void> {
    for (const status of finished) expect(await statusOf(status.id as string)).to.deep.equal(status);
  }

  function expectQueueUnavailable(response: TestResponse): void {
    expect(response.status).to.equal(503);
    expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
    expect(response.headers.get("retry-after")).to.match(/^\d+$/);
    expect(response.body).to.include({ type: "urn:pushgate:problem:queue-unavailable", status: 503 });
  }

  before(async () => {
    redis = await DisposableRedis.start();
    world = await startPushWorld({ REDIS_URL: redis.url });
    await userWithDevices(world.gw, world.app, "u2", { android: true, ios: true });
    for (let index = 0; index < 2; index++) {
      const event = messageEvent({ channel: { id: "c1", member_ids: ["u1", "u2", "u3"] } });
      expect((await postEvent(world.gw, world.app, event)).status).to.equal(202);
      finished.push(await waitForEvent(world.gw, world.app, event.id));
    }
    for (const status of finished) {
      expect(status).to.deep.include({ status: "completed", recipients: 2 });
      expect(status.deliveries).to.include({ sent: 2 });
    }
    operator = await signInToConsole(world.gw.url, world.gw.adminToken);
  });
  after(async () => {
    await world.close();
    await redis.kill();
  });

  describe("with Redis refusing writes (out of memory)", () => {
    let admin: Redis;
    before(async () => {
      admin = new Redis(redis.url);
      await admin.config("SET", "maxmemory", "1");
    });
    after(async () => {
      await admin.config("SET", "maxmemory", "0");
      admin.disconnect();
    });

    it("answers 503 to the console's replay button and leaves the event exactly as it was", async () => {
      const [first] = finished as [{ id: string }];

      const response = await fetch(`${world.gw.url}/console/apps/${world.app.id}/events/${first.id}/replay`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: operator.cookie },
        body: new URLSearchParams({ _csrf: operator.csrf }),
        redirect: "manual",
      });

      expect(response.status).to.equal(503);
      expect(await response.text()).to.include("The queue (Redis) is unreachable");
      await expectEventsAsTheyWere();
    });

    it("answers 503 to a replay by status and leaves every event exactly as it was", async () => {
      expectQueueUnavailable(await replayCompleted());

      await expectEventsAsTheyWere();
    });
  });

  describe("with Redis down", () => {
    before(() => redis.kill());

    it("answers 503 to a replay of one event and leaves the event exactly as it was", async () => {
      const [first] = finished as [{ id: string }];

      expectQueueUnavailable(await replayOne(first.id));

      await expectEventsAsTheyWere();
    });

    it("answers 503 to a replay by status and leaves every event exactly as it was", async () => {
      expectQueueUnavailable(await replayCompleted());

      await expectEventsAsTheyWere();
    });
  });

  describe("once Redis is back", () => {
    it("replays them", async () => {
      const [first, second] = finished as [{ id: string }, { id: string }];
      await redis.restart();

      let single = await replayOne(first.id);
      for (let attempt = 0; attempt < 50 && single.status === 503; attempt++) {
        await sleep(100);
        single = await replayOne(first.id);
      }
      expect(single.status).to.equal(202);
      await waitForEvent(world.gw, world.app, first.id);
      const bulk = await replayCompleted();

      expect(bulk.status).to.equal(202);
      expect(bulk.body.ids).to.have.members([first.id, second.id]);
      for (const id of [first.id, second.id]) {
        expect(await waitForEvent(world.gw, world.app, id)).to.include({ status: "completed" });
      }
    });
  });
});
