import { expect } from "chai";
import type { App, WebhookSettings } from "../../src/domain/apps/app.js";
import { systemClock } from "../../src/domain/clock.js";
import type { WebhookJob } from "../../src/pipeline/jobs.js";
import { EventProcessor } from "../../src/pipeline/process-event.js";
import { mergeEdit } from "../../src/pipeline/stages/edit.js";
import { WebhookBreaker } from "../../src/pipeline/webhook/breaker.js";
import type { WebhookSlots } from "../../src/pipeline/webhook/customer-call.js";
import { WebhookForwarder } from "../../src/pipeline/webhook/forward-to-webhook.js";
import type { CustomerDecision } from "../../src/webhooks/customer-answer.js";
import { testApp, testWebhook } from "./fakes/app.js";
import { ChannelsFromEvents, MutedUsers } from "./fakes/audience.js";
import { InMemoryBadgeCounter } from "./fakes/badges.js";
import { dispatchWorld } from "./fakes/dispatch-world.js";
import { dies, RecordingQueue } from "./fakes/queues.js";
import { InMemoryTemplates } from "./fakes/templates.js";
import { AnsweringCustomer, appSwitch, FreeSlots, RecordingCallbacks } from "./fakes/webhook.js";
import { InMemoryWebhookHealth } from "./fakes/webhook-health.js";

/**
 * An app in webhook mode whose customer answers `decisions`; the event stage has handed it an
 * event to u1 and u2. The app's webhook is turned off and on in place by the breaker.
 */
async function webhookWorld(
  decisions: CustomerDecision[],
  options: { muted?: string[]; webhook?: Partial<WebhookSettings>; slots?: (app: App) => WebhookSlots } = {},
) {
  const world = dispatchWorld();
  const app: App = testApp({ mode: "webhook", webhook: testWebhook(options.webhook) });
  const apps = {
    findById: async () => app,
    activeSecrets: async () => [{ value: "whsec_c2VjcmV0", expiresAt: null }],
  };
  const audience = new MutedUsers(options.muted ?? []);
  const webhooks = new RecordingQueue<WebhookJob>();
  const customer = new AnsweringCustomer(decisions);
  const health = new InMemoryWebhookHealth();
  const callbacks = new RecordingCallbacks();
  const events = new EventProcessor({
    apps,
    runs: world.runs,
    channels: new ChannelsFromEvents(),
    audience,
    dispatcher: world.dispatcher,
    webhooks,
    webhookLog: world.runs,
    templates: new InMemoryTemplates(),
    badges: new InMemoryBadgeCounter(),
  });
  const breaker = new WebhookBreaker({
    health,
    apps: appSwitch(app),
    callbacks,
    clock: systemClock,
    probeIntervalMs: 60_000,
  });
  const forwarder = new WebhookForwarder({
    apps,
    runs: world.runs,
    log: world.runs,
    audience,
    slots: options.slots?.(app) ?? new FreeSlots(),
    client: customer,
    dispatcher: world.dispatcher,
    webhooks,
    retries: { maxAttempts: 5, retry: { baseMs: 10, maxMs: 20 } },
    breaker,
    clock: systemClock,
  });
  await events.process(world.ref);
  return { ...world, app, customer, webhooks, forwarder, health, callbacks };
}

describe("the webhook stage", () => {
  it("sends the customer's edit, cut as a proposal is, and reports it as the webhook job once", async () => {
    const edit = { title: "T".repeat(400), body: "B".repeat(5000) };
    const world = await webhookWorld(
      [{ kind: "send", notification: edit, recipientIds: ["u0", "u1", "u2"] }],
      { muted: ["u2"] },
    );
    const [call] = world.webhooks.take();
    if (!call) throw new Error("the event stage queued no webhook call");
    expect(call.job.proposal.recipientIds).to.deep.equal(["u1"]);

    await world.forwarder.process(call.job, call.jobId);
    await world.forwarder.process(call.job, call.jobId);

    const expected = mergeEdit(call.job.proposal.notification, edit, world.event);
    expect(world.sender.sends.map((send) => send.message.title)).to.deep.equal([expected?.title]);
    expect(world.sender.sends[0]?.message.body).to.equal(expected?.body);
    expect(await world.record()).to.include({
      status: "completed",
      webhookOutcome: "edited",
      recipients: 2,
      suppressed: 1,
      sent: 1,
    });
    expect(world.runs.attempts(world.app.id, world.event.id)).to.have.length(2);
  });

  it("queues its next call when run again after the worker died between recording and queueing it", async () => {
    const world = await webhookWorld([
      { kind: "retry", error: "HTTP 503" },
      { kind: "retry", error: "HTTP 503" },
      { kind: "send" },
    ]);
    const [call] = world.webhooks.take();
    if (!call) throw new Error("the event stage queued no webhook call");

    world.webhooks.dying = true;
    await dies(world.forwarder.process(call.job, call.jobId));
    expect(world.runs.openJobs(world.app.id, world.event.id)).to.deep.equal([`${call.jobId}/retry`]);

    world.webhooks.dying = false;
    await world.forwarder.process(call.job, call.jobId);
    const [retry] = world.webhooks.take();
    if (!retry) throw new Error("no retry queued");
    expect(retry).to.deep.include({ jobId: `${call.jobId}/retry` });
    expect(retry.job).to.include({ attempt: 2, deliveryId: call.job.deliveryId });

    await world.forwarder.process(retry.job, retry.jobId);
    expect(await world.record()).to.include({ status: "completed", webhookOutcome: "send", sent: 2 });
    expect(world.customer.calls.map((each) => each.id)).to.deep.equal(Array(3).fill(call.job.deliveryId));
  });

  describe("with the breaker", () => {
    /** Runs the event's webhook job and each retry it queues, up to `calls` calls. */
    async function runCalls(world: Awaited<ReturnType<typeof webhookWorld>>, calls: number) {
      for (let made = 0; made < calls; made += 1) {
        const [next] = world.webhooks.take();
        if (!next) return;
        await world.forwarder.process(next.job, next.jobId);
      }
    }

    it("turns the webhook off at the failure that completes the run, and that event takes the fallback", async () => {
      const world = await webhookWorld([{ kind: "retry", error: "HTTP 503" }], {
        webhook: { disableAfterFailures: 3, disableAfterMinutes: 0, fallback: "send" },
      });
      await runCalls(world, 10);

      expect(world.customer.calls, "no call after the third").to.have.length(3);
      expect(world.app.webhook?.disabled).to.include({ by: "failures" });
      expect(world.app.webhook?.disabled?.reason).to.match(
        /^3 calls in a row failed over under a minute; the last: HTTP 503$/,
      );
      expect(world.callbacks.disabled, "one callback").to.have.length(1);
      expect(await world.record()).to.include({
        status: "completed",
        webhookOutcome: "fallback_send",
        sent: 2,
      });
    });

    it("keeps calling while the failures span less than the time set", async () => {
      const world = await webhookWorld([{ kind: "retry", error: "HTTP 503" }], {
        webhook: { disableAfterFailures: 2, disableAfterMinutes: 60 },
      });
      await runCalls(world, 4);

      expect(world.customer.calls).to.have.length(4);
      const kept = world.runs.attempts(world.app.id, world.event.id).map((attempt) => attempt.request);
      expect(kept[0], "the first call keeps the body it sent").to.equal(world.customer.calls[0]?.body);
      expect(kept.slice(1), "its retries sent the same").to.deep.equal([null, null, null]);
      expect(world.app.webhook?.disabled).to.equal(null);
      expect(world.health.streaks.get(world.app.id)?.count).to.equal(4);
    });

    it("starts the run again at an answered call", async () => {
      const world = await webhookWorld(
        [
          { kind: "retry", error: "HTTP 503" },
          { kind: "retry", error: "HTTP 503" },
          { kind: "invalid", error: "the answer is not JSON" },
        ],
        { webhook: { disableAfterFailures: 3, disableAfterMinutes: 0 } },
      );
      await runCalls(world, 3);

      expect(world.app.webhook?.disabled).to.equal(null);
      expect(world.health.streaks.has(world.app.id)).to.equal(false);
    });

    it("while off, takes the fallback without a call", async () => {
      const world = await webhookWorld([{ kind: "send" }], {
        webhook: { fallback: "send", disabled: { at: new Date(), reason: "down", by: "failures" } },
      });
      await world.health.claimProbe(world.app.id);
      await runCalls(world, 1);

      expect(world.customer.calls).to.have.length(0);
      expect(await world.record()).to.include({
        status: "completed",
        webhookOutcome: "fallback_send",
        sent: 2,
      });
    });

    it("while off, makes the interval's probe, whose answer turns the webhook back on", async () => {
      const world = await webhookWorld([{ kind: "drop" }], {
        webhook: { disabled: { at: new Date(), reason: "down", by: "failures" } },
      });
      await runCalls(world, 1);

      expect(world.customer.calls).to.have.length(1);
      expect(world.app.webhook?.disabled).to.equal(null);
      expect(await world.record()).to.include({ status: "completed", webhookOutcome: "dropped", sent: 0 });
    });

    it("a probe that fails leaves the webhook off, and its event takes the fallback at once", async () => {
      const world = await webhookWorld([{ kind: "retry", error: "HTTP 503" }], {
        webhook: { fallback: "drop", disabled: { at: new Date(), reason: "down", by: "failures" } },
      });
      await runCalls(world, 5);

      expect(world.customer.calls, "no retry of a probe").to.have.length(1);
      expect(world.app.webhook?.disabled).to.include({ reason: "down" });
      expect(world.callbacks.disabled, "it was off already").to.have.length(0);
      expect(await world.record()).to.include({ status: "completed", webhookOutcome: "fallback_drop" });
    });

    it("makes no call when the webhook was turned off while the job waited for its slot", async () => {
      const turnedOffMeanwhile = (app: App): WebhookSlots => ({
        async acquire() {
          app.webhook = testWebhook({
            fallback: "send",
            disabled: { at: new Date(), reason: "down", by: "failures" },
          });
          return true;
        },
        async release() {},
      });
      const world = await webhookWorld([{ kind: "send" }], {
        webhook: { fallback: "send" },
        slots: turnedOffMeanwhile,
      });
      await runCalls(world, 1);

      expect(world.customer.calls).to.have.length(0);
      expect(await world.record()).to.include({
        status: "completed",
        webhookOutcome: "fallback_send",
        sent: 2,
      });
    });

    it("never probes a webhook an operator turned off", async () => {
      const world = await webhookWorld([{ kind: "send" }], {
        webhook: { disabled: { at: new Date(), reason: "turned off by an operator", by: "operator" } },
      });
      await runCalls(world, 1);

      expect(world.customer.calls).to.have.length(0);
      expect(world.app.webhook?.disabled).to.include({ by: "operator" });
    });
  });
});
