import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { Queue } from "bullmq";
import { expect } from "chai";
import { Redis } from "ioredis";
import { queueNames } from "../../src/queue/queues.js";
import { eventId, messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { killed, startWorkerProcess } from "../support/gateway-process.js";
import {
  createPushApp,
  type PushWorld,
  startPushWorld,
  type TestApp,
  userWithDevices,
} from "../support/push-world.js";
import { testRedisUrl } from "../support/test-gateway.js";
import { type Answer, startReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

/** Seconds between probes of a webhook that is off: long enough for a test to act in between. */
const probeIntervalSeconds = 3;

function callEvent() {
  return {
    id: eventId(),
    type: "call.ringing",
    occurred_at: new Date().toISOString(),
    actor: { id: "u1", display_name: "Alice" },
    channel: { id: "c1", display_name: "Team", member_ids: ["u1", "u2", "u3"] },
    call: { id: "call-1", kind: "audio" },
  };
}

/** A customer's server that answers `send`, or 503 while it is down. */
function switchable() {
  const state = { down: false, failuresLeft: 0 };
  const answer = (): Answer => {
    if (state.failuresLeft > 0) {
      state.failuresLeft -= 1;
      return { status: 503 };
    }
    return state.down ? { status: 503 } : { body: { action: "send" } };
  };
  return { state, answer };
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(100);
  }
}

describe("a webhook that protects itself (docs/api.md)", function () {
  this.timeout(60_000);
  let world: PushWorld;
  const receivers: WebhookReceiver[] = [];

  before(async () => {
    world = await startPushWorld({
      WEBHOOK_PROBE_INTERVAL_SECONDS: probeIntervalSeconds,
      STATUS_CALLBACK_RETRY_BASE_MS: 100,
      RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: 100_000,
      RATE_LIMIT_DEVICE_WRITES_PER_MINUTE: 1000,
    });
  });
  after(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await world.close();
  });

  async function receiver(answer: () => Answer = () => ({ body: { action: "send" } })) {
    const started = await startReceiver([], answer);
    receivers.push(started);
    return started;
  }

  /** A webhook-mode app calling `hook`, with users u1 (the actor), u2 and u3 on Android. */
  async function webhookApp(
    hook: WebhookReceiver,
    webhook: Record<string, unknown>,
    fields: Record<string, unknown> = {},
  ) {
    const { app } = await createPushApp(world.gw, world.sims, {
      mode: "webhook",
      webhook: { url: hook.url, timeout_ms: 1000, ...webhook },
      ...fields,
    });
    hook.secrets.push(app.webhook_secret);
    const tokens: string[] = [];
    for (const userId of ["u1", "u2", "u3"])
      tokens.push((await userWithDevices(world.gw, app, userId, { android: true })).android as string);
    return { app, tokens };
  }

  async function run(app: TestApp, event: { id: string }) {
    expect((await postEvent(world.gw, app, event)).status).to.equal(202);
    return waitForEvent(world.gw, app, event.id);
  }

  const readApp = async (app: TestApp) =>
    (await world.gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key })).body;
  const patchWebhook = (app: TestApp, webhook: Record<string, unknown>) =>
    world.gw.request("PATCH", `/v1/apps/${app.id}`, { token: app.server_key, body: { webhook } });
  const callsFor = (hook: WebhookReceiver, id: string) =>
    hook.deliveries.filter((delivery) => delivery.body?.event?.id === id).length;
  const reached = (tokens: string[]) =>
    tokens.filter((token) => world.sims.received.forToken(token).length > 0).length;

  describe("only some event types", () => {
    it("forwards the types named; the others are rendered and sent directly", async () => {
      const hook = await receiver();
      const { app, tokens } = await webhookApp(hook, { event_types: ["message.created"] });

      const message = messageEvent();
      const call = callEvent();
      const messageStatus = await run(app, message);
      const callStatus = await run(app, call);

      expect(callsFor(hook, message.id)).to.equal(1);
      expect(callsFor(hook, call.id), "the call is not forwarded").to.equal(0);
      expect(messageStatus).to.deep.include({ mode: "webhook", status: "completed" });
      expect(callStatus).to.deep.include({ mode: "direct", status: "completed", webhook: null });
      expect(callStatus.deliveries).to.include({ sent: 2 });
      const callPushes = tokens.flatMap((token) =>
        world.sims.received
          .forToken(token)
          .filter((entry) => JSON.stringify(entry.payload).includes("call-1")),
      );
      expect(callPushes, "u2 and u3 get the call").to.have.length(2);
    });

    it("drops the others under other_events: drop", async () => {
      const hook = await receiver();
      const { app, tokens } = await webhookApp(hook, {
        event_types: ["message.created"],
        other_events: "drop",
      });
      const before = tokens.map((token) => world.sims.received.forToken(token).length);

      const call = callEvent();
      const status = await run(app, call);

      expect(callsFor(hook, call.id)).to.equal(0);
      expect(status).to.deep.include({ mode: "webhook", status: "completed" });
      expect((status.webhook as { outcome: string }).outcome).to.equal("dropped");
      expect(tokens.map((token) => world.sims.received.forToken(token).length)).to.deep.equal(before);
    });
  });

  describe("turning a failing webhook off", () => {
    it("turns it off after the failures span the time set, tells the app, and its events take the fallback without a call", async () => {
      const customer = switchable();
      customer.state.down = true;
      const hook = await receiver(customer.answer);
      const callbacks = await receiver(() => ({ status: 204 }));
      const { app, tokens } = await webhookApp(
        hook,
        { disable_after_failures: 3, disable_after_minutes: 0.02, fallback: "send" },
        { status_callback: { url: callbacks.url, events: ["webhook.disabled"] } },
      );
      callbacks.secrets.push(app.webhook_secret);

      const first = messageEvent();
      const firstStatus = await run(app, first);
      expect(callsFor(hook, first.id), "3 failures, over at least 1.2 s").to.be.at.least(3);
      expect((firstStatus.webhook as { outcome: string }).outcome).to.equal("fallback_send");
      expect(reached(tokens), "the fallback sent the proposal to u2 and u3").to.equal(2);

      const shown = (await readApp(app)).webhook;
      expect(shown).to.include({ enabled: false });
      expect(Date.parse(shown.disabled_at)).to.be.closeTo(Date.now(), 10_000);
      expect(shown.disabled_reason).to.match(/calls in a row failed over under a minute; the last: HTTP 503/);

      const [callback] = await callbacks.waitFor(1);
      expect(callback?.verifiedWith).to.equal(0);
      expect(callback?.body).to.deep.include({ type: "webhook.disabled", app_id: app.id });
      expect(callback?.body.data).to.deep.equal({
        reason: shown.disabled_reason,
        disabled_at: shown.disabled_at,
      });

      // On a slow machine the second event may come after the interval, and be its probe.
      const probeDue = Date.parse(shown.disabled_at) + probeIntervalSeconds * 1000;
      const second = messageEvent();
      const secondStatus = await run(app, second);
      const secondCalls = hook.deliveries.filter((call) => call.body?.event?.id === second.id);
      expect(
        secondCalls.filter((call) => call.at < probeDue),
        "no call within the probe interval",
      ).to.have.length(0);
      expect(secondCalls.length, "at most the probe after it").to.be.at.most(1);
      expect(secondStatus.webhook).to.deep.include({ outcome: "fallback_send" });
      expect((secondStatus.webhook as { attempts: unknown[] }).attempts).to.have.length(secondCalls.length);

      customer.state.down = false;
      const probed = await eventually(
        async () => {
          await run(app, messageEvent());
          return (await readApp(app)).webhook;
        },
        (webhook) => webhook.enabled === true,
      );
      expect(probed, "the first answered probe turns it back on").to.include({
        enabled: true,
        disabled_at: null,
        disabled_reason: null,
      });
      const after = messageEvent();
      expect((await run(app, after)).webhook).to.deep.include({ outcome: "send" });
      expect(callsFor(hook, after.id)).to.equal(1);
      expect(callbacks.deliveries, "one callback").to.have.length(1);
    });

    it("PATCH enabled: true turns it back on at once, and its run of failures starts again", async () => {
      const customer = switchable();
      customer.state.down = true;
      const hook = await receiver(customer.answer);
      const { app } = await webhookApp(hook, { disable_after_failures: 2, disable_after_minutes: 0 });
      await run(app, messageEvent());
      expect((await readApp(app)).webhook.enabled).to.equal(false);

      const enabled = await patchWebhook(app, { enabled: true });
      expect(enabled.status).to.equal(200);
      expect(enabled.body.webhook).to.include({ enabled: true, disabled_at: null, disabled_reason: null });

      customer.state.down = false;
      const back = messageEvent();
      expect((await run(app, back)).webhook).to.deep.include({ outcome: "send" });

      // One failure after turning it back on is not two in a row, even though the run before counted two.
      customer.state.failuresLeft = 1;
      const once = messageEvent();
      const onceStatus = await run(app, once);
      expect(callsFor(hook, once.id)).to.equal(2);
      expect(onceStatus.webhook).to.deep.include({ outcome: "send" });
      expect((await readApp(app)).webhook.enabled).to.equal(true);
    });

    it("PATCH enabled: false turns it off as an operator: no call, no probe, until turned on", async () => {
      const hook = await receiver();
      const { app } = await webhookApp(hook, { fallback: "drop" });
      const off = await patchWebhook(app, { enabled: false });
      expect(off.body.webhook).to.include({ enabled: false, disabled_reason: "turned off by an operator" });

      const during = [messageEvent(), messageEvent()];
      for (const event of during) {
        expect((await run(app, event)).webhook).to.deep.include({ outcome: "fallback_drop", attempts: [] });
      }
      await sleep(probeIntervalSeconds * 1000 + 200);
      const later = messageEvent();
      expect((await run(app, later)).webhook).to.deep.include({ outcome: "fallback_drop" });
      expect(hook.deliveries, "never probed").to.have.length(0);

      const renamed = await world.gw.request("PATCH", `/v1/apps/${app.id}`, {
        token: app.server_key,
        body: { name: "Renamed", webhook: { timeout_ms: 2000 } },
      });
      expect(renamed.body.webhook, "a change of its settings leaves it off").to.include({ enabled: false });
      expect((await patchWebhook(app, { enabled: true })).body.webhook).to.include({ enabled: true });
    });

    it("retries an unanswered call until the TTL by default: no attempt count ends them earlier", async () => {
      const hook = await receiver(() => ({ status: 503 }));
      const { app } = await webhookApp(hook, { fallback: "drop" }, { notification_ttl_seconds: 6 });
      const event = messageEvent();
      expect((await postEvent(world.gw, app, event)).status).to.equal(202);
      const status = await waitForEvent(world.gw, app, event.id);
      const attempts = (status.webhook as { attempts: { at: string }[] }).attempts;
      const expiresAt = Date.parse(status.received_at as string) + 6000;
      const lastAt = Date.parse(attempts.at(-1)?.at as string);
      expect(attempts.length, "retried").to.be.at.least(3);
      expect(expiresAt - lastAt, "the last call leaves its timeout and the fallback's margin").to.be.below(
        3000,
      );
      expect((status.webhook as { outcome: string }).outcome).to.equal("fallback_drop");
    });
  });

  describe("settings", () => {
    const invalid: [Record<string, unknown>, string][] = [
      [{ event_types: ["message.deleted"] }, "webhook.event_types.0"],
      [{ event_types: [] }, "webhook.event_types"],
      [{ event_types: ["message.created", "message.created"] }, "webhook.event_types"],
      [{ other_events: "queue" }, "webhook.other_events"],
      [{ disable_after_failures: 0 }, "webhook.disable_after_failures"],
      [{ disable_after_failures: 2.5 }, "webhook.disable_after_failures"],
      [{ disable_after_minutes: -1 }, "webhook.disable_after_minutes"],
      [{ disable_after_minutes: 10081 }, "webhook.disable_after_minutes"],
      [{ enabled: "yes" }, "webhook.enabled"],
    ];
    for (const [webhook, path] of invalid) {
      it(`refuses ${JSON.stringify(webhook)} with a 400 naming ${path}`, async () => {
        const response = await patchWebhook(world.app, { url: "https://hooks.example.com/p", ...webhook });
        expect(response.status).to.equal(400);
        expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
        expect(response.body.errors.map((error: { path: string }) => error.path)).to.include(path);
      });
    }
  });
});

/** Waits until `count` processes take jobs from the webhook queue. */
async function webhookWorkersListening(world: PushWorld, count: number): Promise<void> {
  const connection = new Redis(testRedisUrl());
  const webhooks = new Queue(queueNames.webhooks, { connection, prefix: world.gw.settings.REDIS_PREFIX });
  try {
    const deadline = Date.now() + 30_000;
    while ((await webhooks.getWorkersCount()) < count) {
      if (Date.now() > deadline) throw new Error(`fewer than ${count} workers took webhook jobs within 30 s`);
      await sleep(100);
    }
  } finally {
    await webhooks.close();
    connection.disconnect();
  }
}

describe("a webhook's run of failures across worker processes", function () {
  this.timeout(60_000);
  let world: PushWorld;
  let hook: WebhookReceiver;
  const workers: ChildProcess[] = [];

  before(async () => {
    world = await startPushWorld({ PUSHGATE_ROLE: "api" });
    // Each call is held, so that one worker's two slots fill and the other worker takes calls too.
    hook = await startReceiver([], () => ({ status: 503, delayMs: 150 }));
  });
  after(async () => {
    await Promise.all(workers.map((worker) => killed(worker)));
    await hook.close();
    await world.close();
  });

  it("is counted once for every worker: the webhook is turned off once, with one callback", async () => {
    const callbacks = await startReceiver([], () => ({ status: 204 }));
    try {
      const settings = { WEBHOOK_WORKER_CONCURRENCY: "2", WEBHOOK_PROBE_INTERVAL_SECONDS: "600" };
      workers.push(
        startWorkerProcess(world.gw.settings, settings),
        startWorkerProcess(world.gw.settings, settings),
      );
      await webhookWorkersListening(world, 2);
      const { app } = await createPushApp(world.gw, world.sims, {
        mode: "webhook",
        webhook: { url: hook.url, timeout_ms: 1000, disable_after_failures: 10, disable_after_minutes: 0 },
        status_callback: { url: callbacks.url, events: ["webhook.disabled"] },
      });
      const events = Array.from({ length: 8 }, () => messageEvent());
      for (const event of events) expect((await postEvent(world.gw, app, event)).status).to.equal(202);
      const statuses = await Promise.all(
        events.map((event) => waitForEvent(world.gw, app, event.id, undefined, 30_000)),
      );

      expect(
        statuses.every((status) => (status.webhook as { outcome: string }).outcome === "fallback_drop"),
      ).to.equal(true);
      const webhook = (await world.gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key })).body
        .webhook;
      expect(webhook.enabled).to.equal(false);
      // Four calls can be in flight at once (two workers, two each): any failure that brings the
      // run to 10 or past it can be the one whose write turns the webhook off.
      const count = Number(/^(\d+) calls in a row/.exec(webhook.disabled_reason)?.[1]);
      expect(count).to.be.at.least(10);
      const callsBefore = hook.deliveries.filter((call) => call.at <= Date.parse(webhook.disabled_at)).length;
      expect(callsBefore, "the run that turned it off counted both workers' calls").to.be.at.most(count + 3);
      await callbacks.waitFor(1);
      await sleep(500);
      expect(callbacks.deliveries).to.have.length(1);
    } finally {
      await callbacks.close();
    }
  });
});
