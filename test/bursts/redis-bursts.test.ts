import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { Redis } from "ioredis";
import type { LiveEvent } from "../../src/domain/events/live-event.js";
import { planBurst } from "../../src/pipeline/stages/burst.js";
import { RedisBurstCounter } from "../../src/queue/redis-bursts.js";
import { deleteKeysUnder, redisKeys } from "../../src/queue/redis-keys.js";
import { testApp } from "../pipeline/fakes/app.js";
import { messageEvent } from "../support/events.js";
import { testRedisUrl } from "../support/test-gateway.js";

describe("bursts in Redis", () => {
  const prefix = `test-bursts-${randomUUID()}`;
  const c1 = { channelId: "c1", windowMs: 60_000 };
  let redis: Redis;
  let bursts: RedisBurstCounter;

  before(() => {
    redis = new Redis(testRedisUrl());
    bursts = new RedisBurstCounter(redis, prefix);
  });
  after(async () => {
    redis.disconnect();
    await deleteKeysUnder(testRedisUrl(), prefix);
  });

  it("counts each user once per event run, per channel, however many times a job asks", async () => {
    expect(await bursts.count("app", "e1", 0, c1, ["u1", "u2"])).to.deep.equal(
      new Map([
        ["u1", 1],
        ["u2", 1],
      ]),
    );
    expect(await bursts.count("app", "e1", 0, c1, ["u1"])).to.deep.equal(new Map([["u1", 1]]));
    expect(await bursts.count("app", "e2", 0, c1, ["u1"])).to.deep.equal(new Map([["u1", 2]]));
    expect(await bursts.count("app", "e2", 1, c1, ["u1"]), "a replay is a new run").to.deep.equal(
      new Map([["u1", 3]]),
    );
    expect(await bursts.count("app", "e3", 0, { ...c1, channelId: "c2" }, ["u1"])).to.deep.equal(
      new Map([["u1", 1]]),
    );
  });

  it("ends a burst with the window its first message opened; later messages do not extend it", async () => {
    const window = { channelId: "c9", windowMs: 5_000 };
    await bursts.count("app", "w1", 0, window, ["u1"]);
    const key = redisKeys(prefix).burst("app", "u1", "c9");
    const first = await redis.pttl(key);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await bursts.count("app", "w2", 0, window, ["u1"]);
    const later = await redis.pttl(key);
    expect(first).to.be.within(1, 5_000);
    expect(later).to.be.below(first);
  });
});

describe("which notifications join a burst", () => {
  const app = { ...testApp(), burstWindowSeconds: 30 };
  const notification = { title: "t", body: "b", data: {}, module: "chat" as const, call: false };

  it("a channel's messages, under a window", () => {
    expect(planBurst(app, messageEvent() as LiveEvent, notification, null)).to.deep.equal({
      windowSeconds: 30,
      template: null,
    });
  });

  it("not without a window, outside a channel, for a call, nor a message that mentions everyone", () => {
    const everyone = messageEvent({
      message: { id: "m", type: "text", text: "@here", mentions_everyone: true },
    });
    const { channel: _channel, ...direct } = messageEvent();
    const call = {
      ...messageEvent(),
      type: "call.ringing",
      call: { id: "k", kind: "audio" },
    };
    expect(
      planBurst({ ...app, burstWindowSeconds: 0 }, messageEvent() as LiveEvent, notification, null),
    ).to.equal(undefined);
    expect(planBurst(app, everyone as LiveEvent, notification, null)).to.equal(undefined);
    expect(planBurst(app, direct as LiveEvent, notification, null)).to.equal(undefined);
    expect(planBurst(app, call as LiveEvent, { ...notification, call: true }, null)).to.equal(undefined);
  });
});
