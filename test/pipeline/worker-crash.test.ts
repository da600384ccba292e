import type { ChildProcess } from "node:child_process";
import { Queue } from "bullmq";
import { expect } from "chai";
import { Redis } from "ioredis";
import { queueNames } from "../../src/queue/queues.js";
import { type Simulators, startSimulators } from "../../src/simulators/simulators.js";
import { registered, signIn } from "../devices/client.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { killableWorkerSettings, killed, startWorkerProcess } from "../support/gateway-process.js";
import { createPushApp, fcmToken } from "../support/push-world.js";
import { createApp, startTestGateway, type TestGateway, testRedisUrl } from "../support/test-gateway.js";

const cases = [
  {
    title: "a worker killed mid-fan-out",
    settings: { FANOUT_CHUNK_SIZE: 50, INLINE_DELIVERY_MAX_RECIPIENTS: 0 },
  },
  {
    title: "a worker killed while its event job sends a small audience itself",
    settings: { FANOUT_CHUNK_SIZE: 500, INLINE_DELIVERY_MAX_RECIPIENTS: 500 },
  },
];

for (const { title, settings } of cases)
  describe(title, function () {
    this.timeout(120_000);
    const members = 200;
    const inFlightBound = 8;
    let sims: Simulators;
    let gw: TestGateway;
    const workers: ChildProcess[] = [];

    before(async () => {
      sims = await startSimulators();
      gw = await startTestGateway({ ...sims.env, ...killableWorkerSettings(inFlightBound), ...settings });
    });
    after(async () => {
      await Promise.all(workers.map((worker) => killed(worker)));
      await gw.close();
      await sims.close();
    });

    it("is followed by one that delivers every remaining notification once", async () => {
      const { app } = await createPushApp(gw, sims);
      const tokens: string[] = [];
      const userIds = ["sender"];
      for (let i = 0; i < members; i++) {
        const userId = `member-${i}`;
        const session = await signIn(gw, app, userId);
        const token = fcmToken();
        await registered(gw, session, { provider: "gcm", token });
        sims.scriptToken(token, { kind: "slow", delayMs: 40 });
        tokens.push(token);
        userIds.push(userId);
      }
      workers.push(startWorkerProcess(gw.settings));
      const event = messageEvent({ actor: { id: "sender" }, channel: { id: "big", member_ids: userIds } });
      expect((await postEvent(gw, app, event)).status).to.equal(202);

      await sims.received.waitFor(members / 4, 30_000);
      await killed(workers[0] as ChildProcess);
      const atKill = sims.received.entries.length;
      expect(atKill, "killed mid-fan-out").to.be.lessThan(members);

      workers.push(startWorkerProcess(gw.settings));
      const status = await waitForEvent(gw, app, event.id, (body) => body.status === "completed", 60_000);
      expect(status.deliveries).to.include({ sent: members, failed: 0, pending: 0 });

      const perToken = tokens.map((token) => sims.received.forToken(token).length);
      expect(
        perToken.filter((count) => count === 0),
        "tokens never reached",
      ).to.have.length(0);
      const resent = perToken.filter((count) => count > 1).length;
      // In flight: sent and not yet recorded. A send frees its slot when its answer arrives,
      // and the next one starts while that answer is being written to the ledger.
      expect(resent, "only sends in flight at the kill may go out again").to.be.at.most(2 * inFlightBound);
    });
  });

describe("a job that stalled more often than BullMQ allows", function () {
  this.timeout(60_000);

  it("ends its event as failed, with BullMQ's reason", async () => {
    const gw = await startTestGateway({ PUSHGATE_ROLE: "api" });
    const connection = new Redis(testRedisUrl());
    const events = new Queue(queueNames.events, { connection, prefix: gw.settings.REDIS_PREFIX });
    let worker: ChildProcess | undefined;
    try {
      const app = await createApp(gw);
      const event = messageEvent();
      expect((await postEvent(gw, app, event)).status).to.equal(202);
      const [job] = await events.getJobs(["wait"]);
      expect(job, "the event's job, waiting for a worker").to.not.equal(undefined);
      // What BullMQ's stalled-job check writes once a job stalled past maxStalledCount: the next
      // worker to take it fails it at once, as unrecoverable, whatever attempts it has left.
      await connection.hset(
        `${gw.settings.REDIS_PREFIX}:${queueNames.events}:${job?.id}`,
        "defa",
        "job stalled more than allowable limit",
      );
      worker = startWorkerProcess(gw.settings);
      const status = await waitForEvent(gw, app, event.id, undefined, 30_000);
      expect(status).to.include({ status: "failed", error: "job stalled more than allowable limit" });
    } finally {
      if (worker) await killed(worker);
      await events.close();
      connection.disconnect();
      await gw.close();
    }
  });
});
