import type { ChildProcess } from "node:child_process";
import { Queue } from "bullmq";
import { expect } from "chai";
import { Redis } from "ioredis";
import { queueNames } from "../../src/queue/queues.js";
import { appProviderSettings } from "../../src/simulators/simulated-credentials.js";
import { type Simulators, startSimulators } from "../../src/simulators/simulators.js";
import { authToken } from "../devices/client.js";
import { eventId, messageEvent, postEvent, waitForEvent } from "../support/events.js";
import {
  killableWorkerSettings,
  killed,
  startApiProcess,
  startWorkerProcess,
} from "../support/gateway-process.js";
import { apnsToken, fcmToken } from "../support/push-world.js";
import {
  createApp,
  type HttpClient,
  httpClient,
  startTestGateway,
  type TestGateway,
  testRedisUrl,
} from "../support/test-gateway.js";

/**
 * Several gateways on one database and one Redis (README, "Scaling out"): two
 * api and two worker processes, driven through both api processes, one worker killed mid-run.
 */
describe("several gateway processes on one database and Redis", function () {
  this.timeout(180_000);
  const members = 150;
  const inFlightBound = 8;
  let sims: Simulators;
  let gw: TestGateway;
  const children: ChildProcess[] = [];

  before(async () => {
    sims = await startSimulators();
    gw = await startTestGateway({
      ...sims.env,
      ...killableWorkerSettings(inFlightBound),
      FANOUT_CHUNK_SIZE: 25,
    });
  });
  after(async () => {
    await Promise.all(children.map((child) => killed(child)));
    await gw.close();
    await sims.close();
  });

  it("keeps dedupe, one owner per device, sent-once and once-only schedules across processes", async () => {
    const [api1, api2] = await Promise.all([startApiProcess(gw.settings), startApiProcess(gw.settings)]);
    children.push(api1.child, api2.child);
    const apis: HttpClient[] = [httpClient(api1.url), httpClient(api2.url)];
    const via = (index: number) => apis[index % 2] as HttpClient;
    const worker1 = startWorkerProcess(gw.settings);
    const worker2 = startWorkerProcess(gw.settings);
    children.push(worker1, worker2);

    const app = await createApp(
      { request: via(0).request, adminToken: gw.adminToken },
      { require_auth_token: true, ...appProviderSettings(sims.registerApp()) },
    );

    const signIn = async (api: HttpClient, userId: string) => {
      const session = await api.request("POST", "/v1/sessions", {
        headers: { "x-api-key": app.api_key },
        body: { user_id: userId, auth_token: await authToken(app.server_key, userId) },
      });
      expect(session.status, JSON.stringify(session.body)).to.equal(201);
      return session.body.session_token as string;
    };

    // One device, claimed at once by ten users through both api processes: one owner at the end.
    const contested = apnsToken();
    const claimants = Array.from({ length: 10 }, (_, i) => `claimant-${i}`);
    const sessions = await Promise.all(claimants.map((userId, i) => signIn(via(i), userId)));
    const claims = await Promise.all(
      sessions.map((token, i) =>
        via(i + 1).request("POST", "/v1/users/@me/devices", {
          token,
          body: { provider: "apns", token: contested, device_id: "shared-ipad" },
        }),
      ),
    );
    expect(claims.map((claim) => claim.status)).to.satisfy((codes: number[]) =>
      codes.every((code) => code === 204),
    );
    const owners = await Promise.all(
      sessions.map(
        async (token, i) =>
          (await via(i).request("GET", "/v1/users/@me/devices", { token })).body.ios as string[],
      ),
    );
    expect(
      owners.filter((tokens) => tokens.includes(contested)),
      "owners of the contested device",
    ).to.have.length(1);

    // A big channel, each member with one Android token, registered through both api processes.
    const tokens: string[] = [];
    const memberIds = ["sender"];
    for (let i = 0; i < members; i++) {
      const userId = `member-${i}`;
      const token = fcmToken();
      const session = await signIn(via(i), userId);
      const registered = await via(i + 1).request("POST", "/v1/users/@me/devices", {
        token: session,
        body: { provider: "gcm", token },
      });
      expect(registered.status).to.equal(204);
      sims.scriptToken(token, { kind: "slow", delayMs: 30 });
      tokens.push(token);
      memberIds.push(userId);
    }

    const big = messageEvent({
      actor: { id: "sender" },
      channel: { id: "all-hands", member_ids: memberIds },
    });
    expect((await postEvent(via(0), app, big)).status).to.equal(202);
    const small = Array.from({ length: 10 }, (_, i) =>
      messageEvent({
        id: eventId(),
        actor: { id: "sender" },
        channel: { id: `c${i}`, member_ids: ["sender", `member-${i}`] },
      }),
    );
    for (const [i, event] of small.entries()) {
      expect((await postEvent(via(i), app, event)).status).to.equal(202);
      const again = await postEvent(via(i + 1), app, event);
      expect(again.status, "a repeat through the other api process is a duplicate").to.equal(200);
    }

    await sims.received.waitFor(members / 3, 60_000);
    await killed(worker1);
    children.push(startWorkerProcess(gw.settings));

    for (const event of [big, ...small]) {
      const status = await waitForEvent(via(1), app, event.id, (body) => body.status === "completed", 90_000);
      expect(status.deliveries.failed).to.equal(0);
    }
    const pairs = new Map<string, number>();
    for (const entry of sims.received.entries) {
      const key = `${entry.token} ${(entry.payload as { data?: { event_id?: string } }).data?.event_id}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
    for (const token of tokens)
      expect(pairs.get(`${token} ${big.id}`) ?? 0, "every member reached").to.be.at.least(1);
    const resent = [...pairs.values()].filter((count) => count > 1).length;
    // In flight: sent and not yet recorded. A send frees its slot when its answer arrives,
    // and the next one starts while that answer is being written to the ledger.
    expect(resent, "only sends in flight when the worker died may go out twice").to.be.at.most(
      2 * inFlightBound,
    );

    // Maintenance tasks are BullMQ job schedulers: four of them, however many worker processes started.
    const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const maintenance = new Queue(queueNames.maintenance, { connection, prefix: gw.settings.REDIS_PREFIX });
    try {
      expect(await maintenance.getJobSchedulersCount()).to.equal(4);
    } finally {
      await maintenance.close();
      connection.disconnect();
    }
  });
});
