import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { generateCallbackSamples } from "../src/cli/samples/callback-samples.js";
import {
  generateDeliverySamples,
  jsonFileNames,
  sampleFolders,
} from "../src/cli/samples/delivery-samples.js";
import { statusCallbackTypes } from "../src/domain/apps/app.js";
import { liveEventSchema, liveEventTypes } from "../src/domain/events/live-event.js";
import { canonicalLocaleKeys, templateSchema } from "../src/domain/templates/template.js";
import { templateErrors, templateNames } from "../src/domain/templates/template-validation.js";
import {
  changeChannelSettingsSchema,
  changeUserSettingsSchema,
} from "../src/http/schemas/notification-settings.js";
import { answerSchema } from "../src/webhooks/customer-answer.js";

const samplesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../webhook-samples");

async function samplesIn(folder: string): Promise<{ name: string; json: unknown }[]> {
  const dir = path.join(samplesDir, folder);
  const names = await jsonFileNames(dir);
  return Promise.all(
    names.map(async (name) => ({ name, json: JSON.parse(await readFile(path.join(dir, name), "utf8")) })),
  );
}

describe("webhook-samples", () => {
  it("has one event per live event type, each exactly as the gateway keeps it (no field the schema drops)", async () => {
    const events = await samplesIn(sampleFolders.events);
    for (const { name, json } of events) {
      const parsed = liveEventSchema.safeParse(json);
      expect(parsed.success, `${name}: ${parsed.error?.message}`).to.equal(true);
      expect(parsed.data, name).to.deep.equal(json);
    }
    const types = new Set(events.map(({ json }) => (json as { type: string }).type));
    expect([...types].sort()).to.deep.equal([...liveEventTypes].sort());
  });

  it("has a text and an image message", async () => {
    const messageTypes = (await samplesIn(sampleFolders.events))
      .map(({ json }) => (json as { message?: { type: string } }).message?.type)
      .filter(Boolean);
    expect(messageTypes).to.include.members(["text", "image"]);
  });

  it("has a message that mentions a user by name", async () => {
    const mentions = (await samplesIn(sampleFolders.events))
      .map(
        ({ json }) => (json as { message?: { mentioned_user_ids?: string[] } }).message?.mentioned_user_ids,
      )
      .filter((ids) => ids !== undefined && ids.length > 0);
    expect(mentions).to.not.be.empty;
  });

  it("has notification-settings bodies the API takes: the user's snooze and quiet hours, a channel's level", async () => {
    const bodies = await samplesIn(sampleFolders.settings);
    const schemaOf = (name: string) =>
      name.startsWith("user") ? changeUserSettingsSchema : changeChannelSettingsSchema;
    for (const { name, json } of bodies) {
      const parsed = schemaOf(name).safeParse(json);
      expect(parsed.success, `${name}: ${parsed.error?.message}`).to.equal(true);
    }
    const names = bodies.map(({ name }) => name);
    expect(names.filter((name) => name.startsWith("user"))).to.not.be.empty;
    expect(names.filter((name) => name.startsWith("channel"))).to.not.be.empty;
    const user = bodies.find(({ name }) => name.startsWith("user"))?.json as Record<string, unknown>;
    expect(user).to.include.keys("snoozed_until", "quiet_hours");
  });

  it("has templates the API takes (docs/api.md §12), one of them the privacy recipe that names no message text", async () => {
    const templates = await samplesIn("templates");
    for (const { name, json } of templates) {
      const parsed = templateSchema.safeParse(json);
      expect(parsed.success, `${name}: ${parsed.error?.message}`).to.equal(true);
      const template = templateSchema.parse(json);
      expect(canonicalLocaleKeys(template.locales).errors, name).to.deep.equal([]);
      expect(templateErrors(template), name).to.deep.equal([]);
    }
    const privacy = templates.find(({ name }) => name.includes("privacy"));
    const template = templateSchema.parse(privacy?.json);
    expect(template.apns?.mutable_content).to.equal(true);
    expect(templateNames(template, ["message.text", "actor"])).to.equal(false);
  });

  it("has customer answers that pass the answer schema: send, send edited, drop", async () => {
    const responses = await samplesIn(sampleFolders.responses);
    for (const { name, json } of responses) {
      const parsed = answerSchema.safeParse(json);
      expect(parsed.success, `${name}: ${parsed.error?.message}`).to.equal(true);
    }
    const answers = responses.map(({ json }) => json as { action: string; notification?: unknown });
    expect(answers.map((answer) => answer.action).sort()).to.deep.equal(["drop", "send", "send"]);
    expect(answers.some((answer) => answer.notification && "recipient_ids" in answer)).to.equal(true);
  });

  it("has, for each event, the delivery the code produces now (npm run samples rewrites them)", async () => {
    const generated = await generateDeliverySamples(samplesDir);
    const deliveriesDir = path.join(samplesDir, sampleFolders.deliveries);
    expect(await jsonFileNames(deliveriesDir)).to.deep.equal(generated.map((delivery) => delivery.name));
    for (const delivery of generated) {
      const onDisk = await readFile(path.join(deliveriesDir, delivery.name), "utf8");
      expect(onDisk, `${delivery.name} is stale: run npm run samples`).to.equal(delivery.text);
    }
  });

  it("has one status callback per type, as the code makes it now (npm run samples rewrites them)", async () => {
    const generated = await generateCallbackSamples();
    const callbacksDir = path.join(samplesDir, sampleFolders.callbacks);
    expect(await jsonFileNames(callbacksDir)).to.deep.equal(
      [...statusCallbackTypes].sort().map((type) => `${type}.json`),
    );
    expect(generated.map((callback) => callback.name).sort()).to.deep.equal(
      await jsonFileNames(callbacksDir),
    );
    for (const callback of generated) {
      const onDisk = await readFile(path.join(callbacksDir, callback.name), "utf8");
      expect(onDisk, `${callback.name} is stale: run npm run samples`).to.equal(callback.text);
      expect(JSON.parse(onDisk).type, callback.name).to.equal(callback.name.replace(/\.json$/, ""));
    }
  });
});
