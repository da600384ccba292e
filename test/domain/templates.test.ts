import { expect } from "chai";
import { type LiveEvent, liveEventSchema } from "../../src/domain/events/live-event.js";
import { builtInWording } from "../../src/domain/templates/built-in-templates.js";
import { canonicalLocale, localeSchema, matchLocale } from "../../src/domain/templates/locale.js";
import {
  canonicalLocaleKeys,
  type NotificationTemplate,
  type TemplateEventType,
  templateEventTypes,
  templateSchema,
} from "../../src/domain/templates/template.js";
import { templateView } from "../../src/domain/templates/template-context.js";
import { renderWording } from "../../src/domain/templates/template-rendering.js";
import { templateErrors } from "../../src/domain/templates/template-validation.js";
import { fitToPayload } from "../../src/pipeline/stages/render.js";

const occurredAt = "2026-11-22T10:00:00Z";
const actor = { id: "u1", display_name: "Alice" };
const channel = { id: "c1", display_name: "Team" };

const sampleEvents: Record<TemplateEventType, unknown> = {
  "channel.created": { id: "e1", type: "channel.created", occurred_at: occurredAt, channel },
  "channel.member_joined": {
    id: "e2",
    type: "channel.member_joined",
    occurred_at: occurredAt,
    actor,
    channel,
  },
  "message.created": {
    id: "e3",
    type: "message.created",
    occurred_at: occurredAt,
    actor,
    channel,
    message: { id: "m1", type: "text", text: "hello" },
  },
  "call.ringing": {
    id: "e4",
    type: "call.ringing",
    occurred_at: occurredAt,
    actor,
    channel,
    call: { id: "call1", kind: "video" },
  },
  "notification.custom": {
    id: "e5",
    type: "notification.custom",
    occurred_at: occurredAt,
    recipient_ids: ["u2"],
    notification: { title: "Reminder", body: "Standup in 5" },
  },
};

function eventOf(type: TemplateEventType, overrides: Record<string, unknown> = {}): LiveEvent {
  return liveEventSchema.parse({ ...(sampleEvents[type] as object), ...overrides });
}

function render(
  template: NotificationTemplate | null,
  wanted: string | null,
  event = eventOf("message.created"),
) {
  return renderWording(event.type as TemplateEventType, template, wanted, "en", templateView(event, null));
}

/** Valid UTF-16 all through: no surrogate half was cut off. */
function wellFormed(text: string): boolean {
  return Buffer.from(text, "utf8").toString("utf8") === text;
}

describe("templates (domain)", () => {
  describe("locales", () => {
    it("canonicalizes BCP 47 tags and refuses what is not one", () => {
      expect(canonicalLocale("fr-ca")).to.equal("fr-CA");
      expect(canonicalLocale("EN")).to.equal("en");
      expect(canonicalLocale("zh-hant-tw")).to.equal("zh-Hant-TW");
      for (const bad of ["", "not a locale", "fr_CA!", "x".repeat(36)])
        expect(canonicalLocale(bad), bad).to.equal(null);
      expect(localeSchema.parse("pt-br")).to.equal("pt-BR");
      expect(localeSchema.safeParse("??").success).to.equal(false);
    });

    it("matches by tag, then language, then the app's default, else null (the built-in English)", () => {
      expect(matchLocale("fr-CA", ["en", "fr", "fr-CA"], "en")).to.equal("fr-CA");
      expect(matchLocale("fr-CA", ["en", "fr"], "en")).to.equal("fr");
      expect(matchLocale("fr", ["en", "fr-BE"], "en")).to.equal("fr-BE");
      expect(matchLocale("de", ["en", "fr"], "en")).to.equal("en");
      expect(matchLocale("de", ["fr", "es"], "es-MX")).to.equal("es");
      expect(matchLocale(null, ["fr", "en"], "fr")).to.equal("fr");
      expect(matchLocale("de", ["fr"], "en")).to.equal(null);
    });

    it("makes a template's keys canonical, naming a bad or repeated key by its path", () => {
      const { locales, errors } = canonicalLocaleKeys({
        "fr-ca": { title: "a" },
        "FR-CA": { title: "b" },
        "no way": {},
      });
      expect(Object.keys(locales)).to.deep.equal(["fr-CA"]);
      expect(errors.map((error) => error.path)).to.deep.equal(["locales.FR-CA", "locales.no way"]);
    });
  });

  describe("validation", () => {
    const errorsOf = (texts: Record<string, string>) => templateErrors({ locales: { en: texts } });

    it("accepts the variables of the context, data keys and names relative to a section", () => {
      expect(
        errorsOf({
          title: "{{actor.name}} {{data.order_id}} {{#actor}}{{name}}{{/actor}}",
          body: "{{#message.is_text}}{{message.text}}{{/message.is_text}}{{^mentioned}}-{{/mentioned}}",
          burst_body: "{{count}} {{#actor.roles}}{{.}}{{/actor.roles}}",
        }),
      ).to.deep.equal([]);
    });

    it("names the path of an unknown variable, an unbalanced section and a partial", () => {
      expect(errorsOf({ title: "{{actor.nmae}}" })).to.deep.equal([
        { path: "locales.en.title", message: 'unknown variable "actor.nmae"' },
      ]);
      const unbalanced = errorsOf({ body: "{{#message.is_text}}open" });
      expect(unbalanced.map((error) => error.path)).to.deep.equal(["locales.en.body"]);
      expect(unbalanced[0]?.message).to.match(/unclosed section/i);
      expect(errorsOf({ burst_body: "{{> header}}" })).to.deep.equal([
        { path: "locales.en.burst_body", message: "partials ({{> header}}) are not supported" },
      ]);
    });

    it("bounds a template's texts, locales and size", () => {
      const issuePaths = (value: unknown) =>
        templateSchema.safeParse(value).error?.issues.map((issue) => issue.path.join(".") || "(body)");
      expect(issuePaths({ locales: {} })).to.deep.equal(["locales"]);
      expect(issuePaths({ locales: { en: { title: "x".repeat(2001) } } })).to.deep.equal([
        "locales.en.title",
      ]);
      expect(issuePaths({ locales: { en: {} }, apns: { sound: "a\u0007" } })).to.deep.equal(["apns.sound"]);
      const many = Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [`l${i}`, { body: "x".repeat(2000) }]),
      );
      expect(issuePaths({ locales: many })).to.deep.equal(["(body)"]);
    });
  });

  describe("rendering", () => {
    const template: NotificationTemplate = {
      locales: { en: { title: "{{actor.name}} & co" }, fr: { title: "{{actor.name}} <{{channel.name}}>" } },
    };

    it("escapes nothing: & < > and quotes stay as written and as sent", () => {
      const event = eventOf("message.created", {
        actor: { id: "u1", display_name: 'Tom & "Jerry"' },
        message: { id: "m1", type: "text", text: "a < b > c & d" },
      });
      const rendered = render(template, "fr", event);
      expect(rendered).to.deep.equal({
        title: 'Tom & "Jerry" <Team>',
        body: "a < b > c & d",
        localeUsed: "fr",
        fellBack: false,
      });
    });

    it("takes a field the locale leaves out from the built-in wording, and the built-in English without a match", () => {
      expect(render(template, "en-GB")).to.include({ title: "Alice & co", body: "hello", localeUsed: "en" });
      expect(render({ locales: { fr: { title: "x" } } }, "de")).to.include({
        title: "Alice (Team)",
        localeUsed: "en",
        fellBack: false,
      });
    });

    it("renders burst_body for a burst", () => {
      const event = eventOf("message.created");
      const rendered = renderWording(
        "message.created",
        { locales: { fr: { burst_body: "{{count}} nouveaux messages" } } },
        "fr",
        "en",
        templateView(event, null, 4),
        true,
      );
      expect(rendered.body).to.equal("4 nouveaux messages");
    });

    it("has a built-in English wording for each event type", () => {
      const expected: Record<TemplateEventType, [string, string]> = {
        "channel.created": ["Team", "You're now member of Team!"],
        "channel.member_joined": ["Alice", "Alice has joined Team"],
        "message.created": ["Alice (Team)", "hello"],
        "call.ringing": ["Alice", "Incoming video call"],
        "notification.custom": ["Reminder", "Standup in 5"],
      };
      for (const type of templateEventTypes) {
        expect(builtInWording[type], type).to.have.all.keys("title", "body", "burst_body");
        const { title, body } = render(null, "fr", eventOf(type));
        expect([title, body], type).to.deep.equal(expected[type]);
      }
      const image = eventOf("message.created", { message: { id: "m2", type: "image" } });
      expect(render(null, null, image).body).to.equal("Image Message");
    });
  });

  describe("fitToPayload", () => {
    it("cuts multi-byte text on character boundaries, within the byte limits", () => {
      const { title, body } = fitToPayload("é".repeat(300), "😀".repeat(2000), {});
      expect(Buffer.byteLength(title)).to.be.at.most(250);
      expect(title).to.match(/^é+…$/);
      expect(Buffer.byteLength(body)).to.be.at.most(3500);
      expect(wellFormed(body)).to.equal(true);
      expect(body.endsWith("😀…")).to.equal(true);
    });

    it("cuts right-to-left text as a prefix of what was written", () => {
      const hebrew = "שלום עולם ".repeat(400);
      const arabic = "مرحبا بالعالم ".repeat(400);
      const { title, body } = fitToPayload(arabic, hebrew, { event_id: "e1" });
      for (const [cut, whole] of [
        [title, arabic],
        [body, hebrew],
      ] as const) {
        expect(cut.endsWith("…")).to.equal(true);
        expect(whole.startsWith(cut.slice(0, -1))).to.equal(true);
        expect(wellFormed(cut)).to.equal(true);
      }
      expect(Buffer.byteLength(title)).to.be.at.most(250);
      expect(
        Buffer.byteLength(body) + Buffer.byteLength(title) + Buffer.byteLength('{"event_id":"e1"}'),
      ).to.be.at.most(3500);
    });

    it("leaves text within the limits as it is", () => {
      expect(fitToPayload("Alice", "مرحبا", {})).to.deep.equal({ title: "Alice", body: "مرحبا" });
    });
  });
});
