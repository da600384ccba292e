import { readFile } from "node:fs/promises";
import { expect } from "chai";
import type { NotificationTemplate } from "../src/domain/templates/template.js";
import { parseExposition, sampleValue } from "./operator/prometheus.js";
import { messageEvent, postEvent, waitForEvent } from "./support/events.js";
import {
  apnsPayload,
  fcmPayload,
  fcmToken,
  type PushWorld,
  startPushWorld,
  type UserDevices,
  userWithDevices,
} from "./support/push-world.js";
import { threeLanguageTemplate } from "./support/templates.js";

/** Needs the locales branch: device and user locales, `default_locale` on apps. */
describe("notifications in each recipient's language, through the FCM and APNs simulators", () => {
  let world: PushWorld;
  let french: UserDevices;
  let japanese: UserDevices;
  let quebec: UserDevices;
  let unknown: UserDevices;
  const quebecToken = fcmToken();

  const template = threeLanguageTemplate;

  before(async () => {
    world = await startPushWorld({}, { default_locale: "en" });
    french = await userWithDevices(world.gw, world.app, "fr-user", { android: true, ios: true });
    const settings = await world.gw.request("PUT", "/v1/users/@me/notification-settings", {
      token: french.session.token,
      body: { locale: "fr" },
    });
    expect(settings.status, JSON.stringify(settings.body)).to.be.oneOf([200, 204]);
    japanese = await userWithDevices(world.gw, world.app, "ja-user", { android: true, ios: true });
    await world.gw.request("PUT", "/v1/users/@me/notification-settings", {
      token: japanese.session.token,
      body: { locale: "ja" },
    });
    quebec = await userWithDevices(world.gw, world.app, "ca-user", {});
    const device = await world.gw.request("POST", "/v1/users/@me/devices", {
      token: quebec.session.token,
      body: { provider: "gcm", token: quebecToken, device_id: "android-ca", locale: "fr-CA" },
    });
    expect(device.status, JSON.stringify(device.body)).to.equal(204);
    unknown = await userWithDevices(world.gw, world.app, "pt-user", { android: true });
    await world.gw.request("PUT", "/v1/users/@me/notification-settings", {
      token: unknown.session.token,
      body: { locale: "pt-BR" },
    });
  });
  after(() => world?.close());
  beforeEach(() => world.sims.received.clear());

  const members = ["author", "fr-user", "ja-user", "ca-user", "pt-user"];

  async function deliver(event: Record<string, unknown>, expected: number) {
    const accepted = await postEvent(world.gw, world.app, event);
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
    await waitForEvent(world.gw, world.app, event.id as string);
    return world.sims.received.waitFor(expected);
  }

  function channelMessage(message: Record<string, unknown> = {}) {
    return messageEvent({
      actor: { id: "author", display_name: "Alice" },
      channel: { id: "c1", display_name: "Team", member_ids: members },
      message: { id: "m1", type: "text", text: "hello", ...message },
    });
  }

  async function storeTemplate(stored: NotificationTemplate): Promise<void> {
    await world.gw.gateway.store.templates.put(world.app.id, "message.created", stored, new Date());
  }

  it("gives French and Japanese users their language on FCM and APNs, fr-CA the French, an unknown locale the default", async () => {
    await storeTemplate(template);
    await deliver(channelMessage(), 6);
    const { received } = world.sims;
    const fcmOf = (token: string | undefined) => fcmPayload(received.forToken(token as string)[0]);
    const apnsOf = (token: string | undefined) => apnsPayload(received.forToken(token as string)[0]);

    expect(fcmOf(french.android).notification).to.deep.equal({
      title: "Alice dans Team",
      body: "Nouveau : hello",
    });
    expect(apnsOf(french.ios).aps.alert).to.deep.equal({ title: "Alice dans Team", body: "Nouveau : hello" });
    expect(fcmOf(japanese.android).notification).to.deep.equal({ title: "TeamのAlice", body: "新着: hello" });
    expect(apnsOf(japanese.ios).aps.alert).to.deep.equal({ title: "TeamのAlice", body: "新着: hello" });
    expect(fcmOf(quebecToken).notification?.title).to.equal("Alice dans Team");
    expect(fcmOf(unknown.android).notification).to.deep.equal({ title: "Alice in Team", body: "hello" });
  });

  it("brings the template's APNs and Android presentation to the simulators", async () => {
    await storeTemplate(template);
    await deliver(channelMessage(), 6);
    const ios = apnsPayload(world.sims.received.forToken(french.ios as string)[0]);
    expect(ios.aps).to.deep.include({ sound: "ping.caf", category: "MESSAGE", "mutable-content": 1 });
    const android = world.sims.received.forToken(french.android as string)[0]?.payload as {
      android: { notification: Record<string, unknown> };
    };
    expect(android.android.notification).to.include({ channel_id: "messages", sound: "ping" });
  });

  it("renders per recipient a template naming `mentioned`", async () => {
    await storeTemplate({
      locales: { en: { body: "{{#mentioned}}You were mentioned: {{/mentioned}}{{message.text}}" } },
    });
    await deliver(channelMessage({ mentioned_user_ids: ["pt-user"] }), 6);
    const body = (token: string | undefined) =>
      fcmPayload(world.sims.received.forToken(token as string)[0]).notification?.body;
    expect(body(unknown.android)).to.equal("You were mentioned: hello");
    expect(body(japanese.android)).to.equal("hello");
  });

  it("sends no message text with the privacy recipe of the docs and samples, in each language, with the keys to fetch it", async () => {
    const recipe = JSON.parse(
      await readFile(
        new URL("../webhook-samples/templates/message.created.privacy.json", import.meta.url),
        "utf8",
      ),
    ) as NotificationTemplate;
    await storeTemplate(recipe);
    const received = await deliver(channelMessage({ text: "the secret" }), 6);
    for (const entry of received) expect(JSON.stringify(entry.payload)).not.to.include("the secret");
    const ios = apnsPayload(world.sims.received.forToken(french.ios as string)[0]);
    expect(ios.aps).to.deep.include({
      alert: { title: "Team", body: "Nouveau message" },
      "mutable-content": 1,
    });
    expect(ios).to.include({ channel_id: "c1", message_id: "m1" });
    const android = fcmPayload(world.sims.received.forToken(unknown.android as string)[0]);
    expect(android.notification).to.deep.equal({ title: "Team", body: "New message" });
    expect(android.data).to.include({ channel_id: "c1", message_id: "m1" });
  });

  it("sends exactly what the preview shows, per locale, for a text long enough to be cut (multi-byte)", async () => {
    const english = await userWithDevices(world.gw, world.app, "en-user", { android: true, ios: true });
    await world.gw.request("PUT", "/v1/users/@me/notification-settings", {
      token: english.session.token,
      body: { locale: "en" },
    });
    const templates = `/v1/apps/${world.app.id}/templates`;
    const put = await world.gw.request("PUT", `${templates}/message.created`, {
      token: world.gw.adminToken,
      body: {
        locales: {
          en: { title: "{{actor.name}}: {{message.text}}", body: "{{message.text}}" },
          fr: { title: "{{actor.name}} : {{message.text}}", body: "Nouveau : {{message.text}}" },
        },
      },
    });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    const event = messageEvent({
      actor: { id: "author", display_name: "Zoë" },
      channel: { id: "c1", display_name: "Team", member_ids: ["author", "fr-user", "en-user"] },
      message: { id: "m1", type: "text", text: "Ça va ? 日本語のテキスト 🎉 ".repeat(400) },
    });
    const preview = async (locale: string) => {
      const answer = await world.gw.request("POST", `${templates}/preview`, {
        token: world.gw.adminToken,
        body: { event, locale },
      });
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      const { title, body } = answer.body as { title: string; body: string };
      expect([title.endsWith("…"), body.endsWith("…")], "title and body cut").to.deep.equal([true, true]);
      return { title, body };
    };
    const inFrench = await preview("fr-CA");
    const inEnglish = await preview("en");

    await deliver(event, 4);
    const { received } = world.sims;
    expect(fcmPayload(received.forToken(french.android as string)[0]).notification).to.deep.equal(inFrench);
    expect(apnsPayload(received.forToken(french.ios as string)[0]).aps.alert).to.deep.equal(inFrench);
    expect(fcmPayload(received.forToken(english.android as string)[0]).notification).to.deep.equal(inEnglish);
    expect(apnsPayload(received.forToken(english.ios as string)[0]).aps.alert).to.deep.equal(inEnglish);
  });

  it("falls back to the built-in wording for a broken stored template, and counts it", async () => {
    const fallbacks = async () =>
      sampleValue(
        parseExposition(await world.gw.gateway.metrics.scrape()),
        "pushgate_template_fallbacks_total",
        {
          event_type: "message.created",
        },
      );
    const before = await fallbacks();
    await storeTemplate({ locales: { en: { body: "{{#message}}unclosed" } } });
    await deliver(channelMessage(), 6);
    expect(fcmPayload(world.sims.received.forToken(french.android as string)[0]).notification).to.deep.equal({
      title: "Alice (Team)",
      body: "hello",
    });
    expect((await fallbacks()) - before).to.be.greaterThan(0);
  });
});
