import { expect } from "chai";
import type { App } from "../../src/domain/apps/app.js";
import type { LiveEvent } from "../../src/domain/events/live-event.js";
import { ChunkDelivery } from "../../src/pipeline/dispatch/chunk-delivery.js";
import { Dispatcher } from "../../src/pipeline/dispatch/dispatcher.js";
import type { DeliveryJob, ReceiptJob, WebhookJob } from "../../src/pipeline/jobs.js";
import { EventProcessor } from "../../src/pipeline/process-event.js";
import type { PushMessage } from "../../src/providers/push-provider.js";
import { threeLanguageTemplate } from "../support/templates.js";
import { testApp, testWebhook } from "./fakes/app.js";
import { ChannelsFromEvents, MutedUsers } from "./fakes/audience.js";
import { InMemoryBadgeCounter } from "./fakes/badges.js";
import { InMemoryBurstCounter } from "./fakes/bursts.js";
import { InMemoryDeliveryLedger } from "./fakes/delivery-ledger.js";
import { InMemoryDeviceDeliveries } from "./fakes/device-deliveries.js";
import { OneTokenPerUser, ScriptedSender } from "./fakes/push.js";
import { RecordingQueue } from "./fakes/queues.js";
import { InMemoryRunLedger } from "./fakes/run-ledger.js";
import { CountedFallbacks, InMemoryTemplates } from "./fakes/templates.js";

const members = ["u0", "fr", "ja", "fr-CA", "pt", "none"];

function messageEvent(message: Record<string, unknown> = {}): LiveEvent {
  return {
    id: `event-${Math.random()}`,
    type: "message.created",
    occurred_at: new Date().toISOString(),
    actor: { id: "u0", display_name: "Alice" },
    channel: { id: "c1", display_name: "Team", member_ids: members },
    message: { id: "m1", type: "text", text: "hello", ...message },
  } as LiveEvent;
}

/** The event stage and delivery of one app on in-memory parts; each member's token has the member's name as locale. */
function localeWorld(fields: Partial<App> = {}, inlineDeliveryMaxRecipients = 10) {
  const app = testApp(fields);
  const runs = new InMemoryRunLedger();
  const tokens = new OneTokenPerUser();
  for (const locale of ["fr", "ja", "fr-CA", "pt"]) tokens.locales.set(locale, locale);
  const sender = new ScriptedSender();
  const templates = new InMemoryTemplates();
  const fallbacks = new CountedFallbacks();
  const deliveries = new RecordingQueue<DeliveryJob>();
  const webhooks = new RecordingQueue<WebhookJob>();
  const chunks = new ChunkDelivery(
    tokens,
    sender,
    new InMemoryDeliveryLedger(),
    new InMemoryDeviceDeliveries(),
    new InMemoryBadgeCounter(),
    new InMemoryBurstCounter(),
    { baseMs: 10, maxMs: 20 },
    undefined,
    fallbacks,
  );
  const dispatcher = new Dispatcher(chunks, deliveries, new RecordingQueue<ReceiptJob>(), tokens, {
    fanoutChunkSize: 500,
    inlineDeliveryMaxRecipients,
    receiptDelayMs: 0,
  });
  const events = new EventProcessor({
    apps: { findById: async () => app },
    runs,
    channels: new ChannelsFromEvents(),
    audience: new MutedUsers(),
    dispatcher,
    webhooks,
    webhookLog: runs,
    templates,
    badges: new InMemoryBadgeCounter(),
    templateObserver: fallbacks,
  });
  return {
    app,
    sender,
    templates,
    fallbacks,
    deliveries,
    webhooks,
    chunks,
    async process(event: LiveEvent) {
      runs.accept(app.id, event, app.mode);
      await events.process({ appId: app.id, eventId: event.id, run: 0 });
    },
    /** What each member's token got. */
    received(): Record<string, PushMessage> {
      return Object.fromEntries(sender.sends.map((send) => [send.token.replace("token-", ""), send.message]));
    },
    /** How many provider sends the chunk made: one per wording. */
    sendCalls(): number {
      return new Set(sender.sends.map((send) => send.message)).size;
    },
  };
}

const template = threeLanguageTemplate;

describe("notifications in the recipient's language (templates)", () => {
  it("gives each recipient the template's closest locale, else the app's default, with one send per locale", async () => {
    const world = localeWorld();
    world.templates.put(world.app.id, "message.created", template);
    await world.process(messageEvent());

    const received = world.received();
    expect(received.fr).to.include({ title: "Alice dans Team", body: "Nouveau : hello" });
    expect(received["fr-CA"], "fr-CA falls back to fr").to.include({ title: "Alice dans Team" });
    expect(received.ja).to.include({ title: "TeamのAlice", body: "新着: hello" });
    expect(received.pt, "an unknown locale gets the app's default").to.include({ title: "Alice in Team" });
    expect(received.none).to.include({ title: "Alice in Team", body: "hello" });
    expect(world.sendCalls(), "fr, ja, en").to.equal(3);
    expect(received.fr?.presentation).to.deep.equal({ apns: template.apns, android: template.android });
  });

  it("uses the app's default locale for recipients without a language of the template", async () => {
    const world = localeWorld({ defaultLocale: "fr" });
    world.templates.put(world.app.id, "message.created", template);
    await world.process(messageEvent());
    expect(world.received().pt).to.include({ title: "Alice dans Team" });
    expect(world.received().none).to.include({ title: "Alice dans Team" });
  });

  it("keeps the built-in wording for a language neither the template nor the default names", async () => {
    const world = localeWorld({ defaultLocale: "de" });
    world.templates.put(world.app.id, "message.created", { locales: { fr: template.locales.fr ?? {} } });
    await world.process(messageEvent());
    expect(world.received().ja).to.include({ title: "Alice (Team)", body: "hello" });
    expect(world.received().fr).to.include({ body: "Nouveau : hello" });
  });

  it("renders per locale at the event stage: queued chunks carry the wordings, not the template", async () => {
    const world = localeWorld({}, 0);
    world.templates.put(world.app.id, "message.created", template);
    const event = messageEvent();
    await world.process(event);
    const [queued] = world.deliveries.added;
    expect(queued?.job.message.localized).to.deep.equal({
      byLocale: {
        en: { title: "Alice in Team", body: "hello" },
        fr: { title: "Alice dans Team", body: "Nouveau : hello" },
        ja: { title: "TeamのAlice", body: "新着: hello" },
      },
    });
    world.templates.put(world.app.id, "message.created", { locales: { fr: { body: "edited later" } } });
    await world.chunks.send(world.app, event, queued?.job as DeliveryJob, queued?.jobId as string);
    expect(world.received().fr).to.include({ body: "Nouveau : hello" });
  });

  it("renders per recipient only when the template names the recipient", async () => {
    const world = localeWorld();
    world.templates.put(world.app.id, "message.created", {
      locales: {
        en: { body: "{{#mentioned}}You were mentioned: {{/mentioned}}{{message.text}}" },
        fr: { body: "{{#mentioned}}On vous cite : {{/mentioned}}{{message.text}} ({{recipient.locale}})" },
      },
    });
    await world.process(messageEvent({ mentioned_user_ids: ["fr", "pt"] }));
    const received = world.received();
    expect(received.fr?.body).to.equal("On vous cite : hello (fr)");
    expect(received["fr-CA"]?.body).to.equal("hello (fr-CA)");
    expect(received.pt?.body).to.equal("You were mentioned: hello");
    expect(received.none?.body).to.equal("hello");
    expect(world.sendCalls()).to.equal(5);
  });

  it("sends no message text with a privacy template (text left out, mutable-content)", async () => {
    const world = localeWorld();
    world.templates.put(world.app.id, "message.created", {
      locales: { en: { title: "{{channel.name}}", body: "New message" } },
      apns: { mutable_content: true },
    });
    await world.process(messageEvent({ text: "the secret" }));
    for (const message of Object.values(world.received())) {
      expect(JSON.stringify(message)).not.to.include("the secret");
      expect(message.presentation?.apns?.mutable_content).to.equal(true);
    }
  });

  it("falls back to the built-in wording when a stored template fails to render, and counts it", async () => {
    const world = localeWorld();
    world.templates.put(world.app.id, "message.created", {
      locales: { en: { body: "{{#message}}unclosed" }, fr: { body: "Nouveau : {{message.text}}" } },
    });
    await world.process(messageEvent());
    expect(world.received().none).to.include({ title: "Alice (Team)", body: "hello" });
    expect(world.received().fr).to.include({ body: "Nouveau : hello" });
    expect(world.fallbacks.counts).to.deep.equal({ "message.created": 1 });
  });

  it("counts failures of templates rendered per recipient at delivery", async () => {
    const world = localeWorld();
    world.templates.put(world.app.id, "message.created", {
      locales: { en: { body: "{{#message}}unclosed" }, ja: { body: "{{recipient.id}}: {{message.text}}" } },
    });
    await world.process(messageEvent());
    expect(world.received().ja).to.include({ body: "ja: hello" });
    expect(world.received().fr).to.include({ title: "Alice (Team)", body: "hello" });
    expect(
      world.fallbacks.counts["message.created"],
      "the proposal and the 4 recipients without ja",
    ).to.equal(5);
  });

  it("proposes the default locale's wording to a webhook, with the template's presentation", async () => {
    const world = localeWorld({
      mode: "webhook",
      defaultLocale: "ja",
      webhook: testWebhook({ fallback: "send" }),
    });
    world.templates.put(world.app.id, "message.created", template);
    await world.process(messageEvent());
    const notification = world.webhooks.added[0]?.job.proposal.notification;
    expect(notification).to.include({ title: "TeamのAlice", body: "新着: hello" });
    expect(notification?.presentation).to.deep.equal({ apns: template.apns, android: template.android });
  });
});
