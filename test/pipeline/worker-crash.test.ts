import type { ChildProcess } from "node:child_process";
import { expect } from "chai";
import { type Simulators, startSimulators } from "../../src/simulators/simulators.js";
import { registered, signIn } from "../devices/client.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { killableWorkerSettings, killed, startWorkerProcess } from "../support/gateway-process.js";
import { createPushApp, fcmToken } from "../support/push-world.js";
import { startTestGateway, type TestGateway } from "../support/test-gateway.js";

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
