import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { NotificationTemplate } from "../../../src/domain/templates/template.js";
import { SecretBox } from "../../../src/security/secret-box.js";
import { SqlAppRepository } from "../../../src/storage/repositories/apps.js";
import { SqlTemplateRepository } from "../../../src/storage/repositories/templates.js";
import { insertApp } from "../support/rows.js";
import { openTestSqlDatabase, type TestSqlDatabase } from "../support/test-sql-database.js";

const at = new Date("2026-11-29T12:00:00.123Z");
const later = new Date(at.getTime() + 60_000);

const message: NotificationTemplate = {
  locales: {
    en: {
      title: "{{actor.name}} in {{channel.name}}",
      body: "{{message.text}}",
      burst_body: "{{count}} new",
    },
    "fr-CA": { title: "{{actor.name}} dans {{channel.name}}" },
  },
  apns: { sound: "message.caf", category: "MESSAGE", mutable_content: true },
  android: { channel_id: "messages", sound: "message" },
};

const call: NotificationTemplate = { locales: { de: { title: "Anruf von {{actor.name}}" } } };

describe("storage conformance: templates", () => {
  let database: TestSqlDatabase;
  let templates: SqlTemplateRepository;
  let appCount = 0;

  before(async () => {
    database = await openTestSqlDatabase();
    templates = new SqlTemplateRepository(database.db);
  });
  after(() => database.close());

  async function newApp(): Promise<string> {
    const id = `app_templates_${++appCount}`;
    await insertApp(database.db, id);
    return id;
  }

  it("reads a template back as it was put, by type and in the list in event type order", async () => {
    const appId = await newApp();
    expect(await templates.list(appId)).to.deep.equal([]);
    expect(await templates.find(appId, "message.created")).to.equal(null);
    const stored = await templates.put(appId, "message.created", message, at);
    expect(stored).to.deep.equal({ eventType: "message.created", template: message, updatedAt: at });
    await templates.put(appId, "call.ringing", call, later);
    expect(await templates.find(appId, "message.created")).to.deep.equal(stored);
    expect(await templates.list(appId)).to.deep.equal([
      { eventType: "call.ringing", template: call, updatedAt: later },
      stored,
    ]);
  });

  it("replaces the template of a type put again", async () => {
    const appId = await newApp();
    await templates.put(appId, "message.created", message, at);
    await templates.put(appId, "message.created", call, later);
    expect(await templates.list(appId)).to.deep.equal([
      { eventType: "message.created", template: call, updatedAt: later },
    ]);
  });

  it("deletes one type, saying whether there was one, and keeps the others", async () => {
    const appId = await newApp();
    await templates.put(appId, "message.created", message, at);
    await templates.put(appId, "call.ringing", call, at);
    expect(await templates.delete(appId, "message.created")).to.equal(true);
    expect(await templates.delete(appId, "message.created")).to.equal(false);
    expect(await templates.find(appId, "message.created")).to.equal(null);
    expect((await templates.list(appId)).map((stored) => stored.eventType)).to.deep.equal(["call.ringing"]);
  });

  it("keeps apps apart", async () => {
    const [appId, otherApp] = [await newApp(), await newApp()];
    await templates.put(appId, "message.created", message, at);
    await templates.put(otherApp, "message.created", call, at);
    expect((await templates.find(appId, "message.created"))?.template).to.deep.equal(message);
    expect((await templates.find(otherApp, "message.created"))?.template).to.deep.equal(call);
    expect(await templates.delete(otherApp, "call.ringing")).to.equal(false);
    await templates.delete(otherApp, "message.created");
    expect(await templates.list(appId)).to.have.length(1);
  });

  it("goes with its app", async () => {
    const apps = new SqlAppRepository(database.db, new SecretBox(randomBytes(32)));
    const appId = await newApp();
    await templates.put(appId, "message.created", message, at);
    expect(await apps.delete(appId)).to.equal(true);
    expect(await templates.list(appId)).to.deep.equal([]);
  });
});
