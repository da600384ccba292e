import { expect } from "chai";
import type { App } from "../../src/domain/apps/app.js";
import { systemClock } from "../../src/domain/clock.js";
import type { WebhookJob } from "../../src/pipeline/jobs.js";
import { EventProcessor } from "../../src/pipeline/process-event.js";
import { mergeEdit } from "../../src/pipeline/stages/edit.js";
import { WebhookForwarder } from "../../src/pipeline/webhook/forward-to-webhook.js";
import type { CustomerDecision } from "../../src/webhooks/customer-answer.js";
import { testApp } from "./fakes/app.js";
import { ChannelsFromEvents, MutedUsers } from "./fakes/audience.js";
import { InMemoryBadgeCounter } from "./fakes/badges.js";
import { dispatchWorld } from "./fakes/dispatch-world.js";
import { dies, RecordingQueue } from "./fakes/queues.js";
import { InMemoryTemplates } from "./fakes/templates.js";
import { AnsweringCustomer, FreeSlots } from "./fakes/webhook.js";

/** An app in webhook mode whose customer answers `decisions`; the event stage has handed it an event to u1 and u2. */
async function webhookWorld(decisions: CustomerDecision[], muted: string[] = []) {
  const world = dispatchWorld();
  const app: App = testApp({
    mode: "webhook",
    webhook: { url: "https://customer.example/hook", timeoutMs: 1000, fallback: "drop" },
  });
  const apps = {
    findById: async () => app,
    activeSecrets: async () => [{ value: "whsec_c2VjcmV0", expiresAt: null }],
  };
  const audience = new MutedUsers(muted);
  const webhooks = new RecordingQueue<WebhookJob>();
  const customer = new AnsweringCustomer(decisions);
  const events = new EventProcessor({
    apps,
    runs: world.runs,
    channels: new ChannelsFromEvents(),
    audience,
    dispatcher: world.dispatcher,
    webhooks,
    templates: new InMemoryTemplates(),
    badges: new InMemoryBadgeCounter(),
  });
  const forwarder = new WebhookForwarder({
    apps,
    runs: world.runs,
    log: world.runs,
    audience,
    slots: new FreeSlots(),
    client: customer,
    dispatcher: world.dispatcher,
    webhooks,
    retries: { maxAttempts: 5, retry: { baseMs: 10, maxMs: 20 } },
    clock: systemClock,
  });
  await events.process(world.ref);
  return { ...world, app, customer, webhooks, forwarder };
}

describe("the webhook stage", () => {
  it("sends the customer's edit, cut as a proposal is, and reports it as the webhook job once", async () => {
    const edit = { title: "T".repeat(400), body: "B".repeat(5000) };
    const world = await webhookWorld(
      [{ kind: "send", notification: edit, recipientIds: ["u0", "u1", "u2"] }],
      ["u2"],
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
});
