import { expect } from "chai";
import { builtInWording } from "../../src/domain/templates/built-in-templates.js";
import { templateEventTypes } from "../../src/domain/templates/template.js";
import type { TestApp } from "../devices/client.js";
import { useGatewayWithApp } from "../devices/fixtures.js";
import { messageEvent } from "../support/events.js";
import { createApp, type TestGateway, type TestResponse } from "../support/test-gateway.js";

const wording = {
  locales: {
    en: {
      title: "{{actor.name}} in {{channel.name}}",
      body: "{{#message.is_text}}{{message.text}}{{/message.is_text}}{{^message.is_text}}sent an attachment{{/message.is_text}}",
      burst_body: "{{count}} new messages",
    },
    fr: {
      title: "{{actor.name}} dans {{channel.name}}",
      body: "{{#message.is_text}}{{message.text}}{{/message.is_text}}{{^message.is_text}}a envoyé une pièce jointe{{/message.is_text}}",
    },
  },
  apns: { sound: "message.caf", category: "MESSAGE", mutable_content: true },
  android: { channel_id: "messages", sound: "message" },
};

function expectInvalid(response: TestResponse, paths: string[]): void {
  expect(response.status, JSON.stringify(response.body)).to.equal(400);
  expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
  expect(response.body.type).to.equal("urn:pushgate:problem:validation");
  const named = (response.body.errors as { path: string }[]).map((error) => error.path);
  expect(named).to.include.members(paths);
}

describe("templates API", () => {
  let gw: TestGateway;
  let app: TestApp;
  useGatewayWithApp((started) => ({ gw, app } = started));

  const templates = () => `/v1/apps/${app.id}/templates`;
  const asServer = (method: string, path: string, body?: unknown) =>
    gw.request(method, path, { token: app.server_key, body });

  it("reads the built-in English wording of an event type with no template", async () => {
    const response = await asServer("GET", `${templates()}/call.ringing`);
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({
      event_type: "call.ringing",
      built_in: true,
      template: { locales: { en: builtInWording["call.ringing"] } },
    });
  });

  it("stores a template with canonical locale keys, reads it back, lists it, and deletes it back to the built-in", async () => {
    const sent = { ...wording, locales: { ...wording.locales, "fr-ca": { title: "{{actor.name}}" } } };
    const put = await asServer("PUT", `${templates()}/message.created`, sent);
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect(put.body.built_in).to.equal(false);
    expect(Object.keys(put.body.template.locales).sort()).to.deep.equal(["en", "fr", "fr-CA"]);
    expect(Date.parse(put.body.updated_at)).to.be.a("number").and.not.NaN;

    const read = await asServer("GET", `${templates()}/message.created`);
    expect(read.body).to.deep.equal(put.body);

    const list = await asServer("GET", templates());
    expect(list.status).to.equal(200);
    expect(list.body.templates.map((entry: { event_type: string }) => entry.event_type)).to.deep.equal([
      ...templateEventTypes,
    ]);
    const builtIn = list.body.templates.filter((entry: { built_in: boolean }) => entry.built_in);
    expect(builtIn).to.have.length(templateEventTypes.length - 1);

    expect((await asServer("DELETE", `${templates()}/message.created`)).status).to.equal(204);
    expect((await asServer("GET", `${templates()}/message.created`)).body.built_in).to.equal(true);
    // Nothing stored: still 204, the built-in wording applies either way.
    expect((await asServer("DELETE", `${templates()}/message.created`)).status).to.equal(204);
  });

  it("answers 400 naming event_type for an event type without a wording", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const response = await asServer(
        method,
        `${templates()}/channel.member_left`,
        method === "PUT" ? wording : undefined,
      );
      expect(response.status, method).to.equal(400);
      expect(response.body.errors, method).to.deep.equal([
        {
          path: "event_type",
          message:
            "has no wording; use one of channel.created, channel.member_joined, message.created, call.ringing, notification.custom",
        },
      ]);
    }
  });

  it("refuses a template with every error named by its path, and stores nothing", async () => {
    const response = await asServer("PUT", `${templates()}/message.created`, {
      locales: {
        en: { title: "{{actor.nmae}}", body: "{{#message.is_text}}open", burst_body: "{{> header}}" },
        "not a locale": { title: "x" },
      },
    });
    expectInvalid(response, [
      "locales.en.title",
      "locales.en.body",
      "locales.en.burst_body",
      "locales.not a locale",
    ]);
    expect((await asServer("GET", `${templates()}/message.created`)).body.built_in).to.equal(true);
  });

  it("refuses bad shapes and texts over their bound, naming the field", async () => {
    expectInvalid(await asServer("PUT", `${templates()}/message.created`, { locales: {} }), ["locales"]);
    expectInvalid(
      await asServer("PUT", `${templates()}/message.created`, {
        locales: { en: { title: "x".repeat(2001) } },
      }),
      ["locales.en.title"],
    );
    expectInvalid(
      await asServer("PUT", `${templates()}/message.created`, { locales: { en: { subtitle: "x" } } }),
      ["locales.en"],
    );
    expectInvalid(
      await asServer("PUT", `${templates()}/message.created`, {
        locales: { en: { title: "x" } },
        apns: { sound: "" },
      }),
      ["apns.sound"],
    );
  });

  it("refuses a template over 64 KiB as JSON", async () => {
    const locales = Object.fromEntries(
      Array.from({ length: 40 }, (_, index) => [`en-${String(index + 100)}`, { title: "x".repeat(2000) }]),
    );
    expectInvalid(await asServer("PUT", `${templates()}/message.created`, { locales }), ["(body)"]);
  });

  it("previews the stored template by tag, then language, then the default, with the send's cut", async () => {
    await asServer("PUT", `${templates()}/message.created`, wording);
    const event = messageEvent({ message: { id: "m1", type: "text", text: "Salut & <bienvenue>" } });
    const preview = (locale?: string) =>
      asServer("POST", `${templates()}/preview`, locale === undefined ? { event } : { event, locale });

    const french = await preview("fr-CA");
    expect(french.status, JSON.stringify(french.body)).to.equal(200);
    expect(french.body).to.deep.equal({
      title: "Alice dans Team",
      body: "Salut & <bienvenue>",
      locale_used: "fr",
    });
    expect((await preview("de")).body).to.include({ title: "Alice in Team", locale_used: "en" });
    expect((await preview()).body.locale_used).to.equal("en");

    const image = await asServer("POST", `${templates()}/preview`, {
      event: messageEvent({ message: { id: "m2", type: "image" } }),
      locale: "fr",
    });
    expect(image.body.body).to.equal("a envoyé une pièce jointe");

    const long = await asServer("POST", `${templates()}/preview`, {
      event: messageEvent({ message: { id: "m3", type: "text", text: "é".repeat(5000) } }),
    });
    expect(Buffer.byteLength(long.body.body)).to.be.at.most(3500);
    expect(long.body.body.endsWith("é…")).to.equal(true);
    await asServer("DELETE", `${templates()}/message.created`);
  });

  it("previews a draft without storing it, and the built-in wording when there is none", async () => {
    const event = messageEvent();
    const draft = await asServer("POST", `${templates()}/preview`, {
      event,
      locale: "fr",
      template: { locales: { FR: { title: "Nouveau : {{actor.name}}" } } },
    });
    expect(draft.body).to.deep.equal({ title: "Nouveau : Alice", body: "hello", locale_used: "fr" });
    expect((await asServer("GET", `${templates()}/message.created`)).body.built_in).to.equal(true);

    const builtIn = await asServer("POST", `${templates()}/preview`, { event, locale: "ja" });
    expect(builtIn.body).to.deep.equal({ title: "Alice (Team)", body: "hello", locale_used: "en" });
  });

  it("refuses a bad preview, naming each path", async () => {
    const preview = (body: unknown) => asServer("POST", `${templates()}/preview`, body);
    expectInvalid(await preview({ event: { ...messageEvent(), message: { type: "text" } } }), [
      "event.message.id",
    ]);
    expectInvalid(await preview({ event: messageEvent(), locale: "not a locale!" }), ["locale"]);
    expectInvalid(
      await preview({ event: messageEvent(), template: { locales: { en: { title: "{{nope}}" } } } }),
      ["template.locales.en.title"],
    );
    expectInvalid(
      await preview({
        event: {
          id: "e1",
          type: "channel.deleted",
          occurred_at: new Date().toISOString(),
          channel: { id: "c1" },
        },
      }),
      ["event.type"],
    );
    expectInvalid(await preview({}), ["event"]);
  });

  it("opens to the admin token and the app's own server key only", async () => {
    const other = await createApp(gw);
    const path = `${templates()}/message.created`;
    expect((await gw.request("GET", path, { token: gw.adminToken })).status).to.equal(200);
    expect((await gw.request("GET", path)).status).to.equal(401);
    expect((await gw.request("GET", path, { token: "sk_forged" })).status).to.equal(401);
    expect((await gw.request("GET", path, { token: other.server_key })).status).to.equal(404);
    expect((await gw.request("PUT", path, { token: other.server_key, body: wording })).status).to.equal(404);
    expect(
      (
        await gw.request("POST", `${templates()}/preview`, {
          token: other.server_key,
          body: { event: messageEvent() },
        })
      ).status,
    ).to.equal(404);
    expect(
      (await gw.request("GET", "/v1/apps/app_missing/templates", { token: gw.adminToken })).status,
    ).to.equal(404);
    const wrongMethod = await gw.request("GET", `${templates()}/preview`, { token: app.server_key });
    expect(wrongMethod.status).to.equal(405);
    expect(wrongMethod.headers.get("allow")).to.equal("POST");
  });
});
