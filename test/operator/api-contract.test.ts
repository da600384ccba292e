import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import type { z } from "zod";
import { generateCallbackSamples } from "../../src/cli/samples/callback-samples.js";
import { generateDeliverySamples } from "../../src/cli/samples/delivery-samples.js";
import { settingNames } from "../../src/config/settings.js";
import { operations } from "../../src/http/openapi/catalog/index.js";
import { outboundWebhooks } from "../../src/http/openapi/catalog/webhooks.js";
import { openApiDocument } from "../../src/http/openapi/document.js";
import { problemSchema } from "../../src/http/schemas/problem.js";
import { statusCallbackSchemas } from "../../src/http/schemas/status-callbacks.js";
import { webhookDeliverySchema } from "../../src/http/schemas/webhook-delivery.js";
import { gatewayVersion } from "../../src/runtime/version.js";
import { createSession, signIn } from "../devices/client.js";
import { messageEvent, postBatch, postEvent, waitForEvent } from "../support/events.js";
import { createPushApp, type PushWorld, startPushWorld, userWithDevices } from "../support/push-world.js";
import { createApp, type TestGateway, type TestResponse } from "../support/test-gateway.js";
import { startReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The document as JSON carries it: what `/openapi.json` serves and `npm run openapi` writes. */
function generatedDocument() {
  return JSON.parse(JSON.stringify(openApiDocument(operations, outboundWebhooks, gatewayVersion)));
}

interface DocumentedResponse {
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: { $ref?: string } }>;
}

/** Every schema the document names, as the zod schema it was converted from. */
function zodSchemasByName(): Map<string, z.ZodType> {
  const named = [
    { name: "Problem", schema: problemSchema },
    ...operations.flatMap((operation) =>
      Object.values(operation.responses).flatMap(({ body }) => body ?? []),
    ),
    ...outboundWebhooks.map((webhook) => webhook.body),
  ];
  return new Map(named.map(({ name, schema }) => [name, schema]));
}

/** A JSON value is exactly what its schema describes: it parses, and parsing drops no field. */
function expectDescribedBy(schema: z.ZodType, value: unknown, label: string): void {
  const parsed = schema.safeParse(value);
  expect(parsed.success, `${label}: ${parsed.error?.message}`).to.equal(true);
  expect(parsed.data, `${label}: has fields its schema does not describe`).to.deep.equal(value);
}

describe("the contract in the repository: docs/, openapi.json, and what the gateway answers and sends", () => {
  it("openapi.json in the repository is the document the code builds", async () => {
    const committed = JSON.parse(await readFile(path.join(repositoryRoot, "openapi.json"), "utf8"));
    expect(committed, "openapi.json is stale: run npm run openapi").to.deep.equal(generatedDocument());
  });

  it("describes, field for field, the delivery body the code builds for every sample event", async () => {
    const deliveries = await generateDeliverySamples(path.join(repositoryRoot, "webhook-samples"));
    expect(deliveries).to.not.be.empty;
    for (const delivery of deliveries) {
      expectDescribedBy(webhookDeliverySchema, JSON.parse(delivery.text), delivery.name);
    }
  });

  it("describes, field for field, each status callback body the code builds", async () => {
    const callbacks = await generateCallbackSamples();
    expect(callbacks.map((callback) => callback.name).sort()).to.deep.equal(
      Object.keys(statusCallbackSchemas).map((type) => `${type}.json`),
    );
    for (const callback of callbacks) {
      const body = JSON.parse(callback.text) as { type: keyof typeof statusCallbackSchemas };
      expectDescribedBy(statusCallbackSchemas[body.type], body, callback.name);
    }
  });

  it("docs/ names every path the API serves and every setting", async () => {
    const api = await readFile(path.join(repositoryRoot, "docs/api.md"), "utf8");
    const paths = [...new Set(operations.map((operation) => operation.path))];
    expect(paths.filter((documented) => !api.includes(documented))).to.deep.equal([]);
    const configuration = await readFile(path.join(repositoryRoot, "docs/configuration.md"), "utf8");
    expect(settingNames.filter((name) => !configuration.includes(`\`${name}\``))).to.deep.equal([]);
  });

  describe("a tour of the API", () => {
    interface Exchange {
      method: string;
      pathname: string;
      response: TestResponse;
    }
    const exchanges: Exchange[] = [];
    let world: PushWorld;
    let receiver: WebhookReceiver;
    // biome-ignore lint/suspicious/noExplicitAny: the document is arbitrary JSON
    const document: any = generatedDocument();
    const schemas = zodSchemasByName();

    /** The operation a request went to: the path template it matches with the fewest parameters. */
    function operationOf({ method, pathname }: Exchange): { template: string; responses: object } {
      const [route = ""] = pathname.split("?");
      const candidates = Object.keys(document.paths)
        .filter((template) => document.paths[template][method.toLowerCase()])
        .filter((template) => {
          const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+");
          return new RegExp(`^${pattern}$`).test(route);
        })
        .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
      const template = candidates[0];
      if (!template) throw new Error(`${method} ${pathname} matches no documented operation`);
      return { template, responses: document.paths[template][method.toLowerCase()].responses };
    }

    before(async function () {
      this.timeout(60_000);
      world = await startPushWorld({ RATE_LIMIT_DEVICE_WRITES_PER_MINUTE: 6 });
      receiver = await startReceiver([]);
      const gw: TestGateway = {
        ...world.gw,
        async request(method, pathname, options) {
          const response = await world.gw.request(method, pathname, options);
          exchanges.push({ method, pathname, response });
          return response;
        },
      };
      const admin = world.gw.adminToken;

      // Apps, as the operator and the customer's server
      const { app } = await createPushApp(gw, world.sims);
      const serverKey = { token: app.server_key };
      await gw.request("GET", "/v1/apps", { token: admin });
      await gw.request("GET", `/v1/apps/${app.id}`, serverKey);
      await gw.request("PATCH", `/v1/apps/${app.id}`, {
        ...serverKey,
        body: { mode: "webhook", webhook: { url: receiver.url, timeout_ms: 2000 } },
      });
      receiver.secrets.push(app.webhook_secret);
      const rotated = await gw.request("POST", `/v1/apps/${app.id}/secrets/webhook-secret/rotate`, serverKey);
      receiver.secrets.push(rotated.body.secret);
      await gw.request("POST", `/v1/apps/${app.id}/secrets/password/rotate`, serverKey);
      await gw.request("GET", "/v1/apps/app_missing", { token: admin });
      await gw.request("GET", "/v1/apps");
      await gw.request("POST", "/v1/apps", { token: admin, body: { name: "" } });
      await gw.request("POST", "/v1/apps", {
        token: admin,
        rawBody: "name=Acme",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      await gw.request("POST", "/v1/apps", {
        token: admin,
        body: { name: "x".repeat(world.gw.settings.HTTP_BODY_LIMIT_BYTES) },
      });
      const throwaway = await createApp(gw);
      await gw.request("DELETE", `/v1/apps/${throwaway.id}`, { token: admin });

      // Clients: sessions, devices, notification settings
      const alice = await userWithDevices(gw, app, "u1", { android: true, ios: true, voip: true });
      const bob = await userWithDevices(gw, app, "u2", { android: true });
      await createSession(gw, app, { user_id: "u3", auth_token: "not-a-jwt" });
      await gw.request("GET", "/v1/users/@me/devices", { token: alice.session.token });
      const syncToken = await gw.request("GET", "/v1/users/@me/devices/sync-token", {
        token: bob.session.token,
      });
      await gw.request("PUT", "/v1/users/@me/devices/sync", {
        token: alice.session.token,
        body: { provider: "gcm", token: alice.android, push_sync_tokens: [syncToken.body.token, "forged"] },
      });
      await gw.request("POST", "/v1/devices/unregister", {
        headers: { "x-api-key": app.api_key },
        body: { device_id: "no-such-device", user_id: "u1" },
      });
      const me = { token: alice.session.token };
      await gw.request("GET", "/v1/users/@me/notification-settings", me);
      await gw.request("PUT", "/v1/users/@me/notification-settings", {
        ...me,
        body: { modules: [{ module: "video", role_filter: { only: ["moderator"] } }] },
      });
      await gw.request("GET", "/v1/users/@me/channels/c9/notification-settings", me);
      await gw.request("PUT", "/v1/users/@me/channels/c9/notification-settings", {
        ...me,
        body: { enabled: false },
      });
      const user = `/v1/apps/${app.id}/users/u2`;
      await gw.request("GET", `${user}/notification-settings`, serverKey);
      await gw.request("PUT", `${user}/notification-settings`, { ...serverKey, body: { enabled: true } });
      await gw.request("GET", `${user}/channels/c9/notification-settings`, serverKey);
      await gw.request("PUT", `${user}/channels/c9/notification-settings`, {
        ...serverKey,
        body: { enabled: true },
      });
      await gw.request("GET", `/v1/apps/${app.id}/users/%01/notification-settings`, serverKey);
      await gw.request("PUT", "/v1/users/@me/notification-settings", {
        ...me,
        body: {
          snoozed_until: "2099-01-01T00:00:00+01:00",
          quiet_hours: {
            time_zone: "Europe/Paris",
            windows: [{ days: ["sat"], start: "22:00", end: "07:30" }],
          },
        },
      });
      await gw.request("PUT", "/v1/users/@me/channels/c8/notification-settings", {
        ...me,
        body: { level: "mentions", muted_until: "2099-01-01T00:00:00Z" },
      });
      await gw.request("GET", "/v1/users/@me/channels/notification-settings", me);
      await gw.request("GET", `${user}/channels/notification-settings`, serverKey);
      await gw.request("PUT", "/v1/users/@me/badge", { ...me, body: { count: 0 } });
      await gw.request("GET", "/v1/users/@me/badge", me);
      await gw.request("PUT", `${user}/badge`, { ...serverKey, body: { count: 3 } });
      await gw.request("GET", `${user}/badge`, serverKey);
      await gw.request("PUT", `${user}/badge`, { ...serverKey, body: { count: -1 } });
      await gw.request("POST", "/v1/users/@me/test-notification", { ...me, body: { dry_run: true } });
      await gw.request("POST", `${user}/test-notification`, { ...serverKey, body: { title: "Hi" } });
      await gw.request("POST", `${user}/test-notification`, { ...serverKey, body: { colour: "red" } });
      const members = `/v1/apps/${app.id}/channels/c1/members`;
      await gw.request("PUT", members, { ...serverKey, body: { member_ids: ["u1", "u2", "u2"] } });
      await gw.request("GET", members, serverKey);
      const carol = await signIn(gw, app, "u3");
      for (let write = 0; write < 7; write++) {
        const answer = await gw.request("POST", "/v1/users/@me/devices", {
          token: carol.token,
          body: { provider: "gcm", token: `carol-${write}` },
        });
        if (answer.status === 429) break;
      }

      // Templates
      const templates = `/v1/apps/${app.id}/templates`;
      const french = { locales: { fr: { title: "{{actor.name}} dans {{channel.name}}" } } };
      await gw.request("GET", templates, serverKey);
      await gw.request("GET", `${templates}/call.ringing`, serverKey);
      await gw.request("PUT", `${templates}/message.created`, { ...serverKey, body: french });
      await gw.request("PUT", `${templates}/message.created`, {
        ...serverKey,
        body: { locales: { en: { title: "{{nope}}" } } },
      });
      await gw.request("GET", `${templates}/channel.deleted`, serverKey);
      await gw.request("POST", `${templates}/preview`, {
        ...serverKey,
        body: { event: messageEvent(), locale: "fr-CA" },
      });
      await gw.request("DELETE", `${templates}/message.created`, serverKey);

      // Live events, in webhook mode, and what became of them
      const event = messageEvent({ channel: { id: "c1", display_name: "Team" } });
      await postEvent(gw, app, event);
      await postEvent(gw, app, event);
      await postEvent(gw, app, { id: "evt_broken", type: "message.created" });
      await postEvent(gw, { id: app.id, event_secret: `whsec_${randomBytes(32).toString("base64")}` }, event);
      await postEvent(gw, { id: "app_missing", event_secret: app.event_secret }, event);
      const second = messageEvent();
      await postBatch(gw, app, [second, { type: "message.created" }, event]);
      // Ids that name a route of their own for POST
      const named = [messageEvent({ id: "batch" }), messageEvent({ id: "replay" })];
      await postBatch(gw, app, named);
      await waitForEvent(gw, app, event.id);
      await waitForEvent(gw, app, second.id);
      for (const { id } of named) await gw.request("GET", `/v1/apps/${app.id}/events/${id}`, serverKey);
      await gw.request("GET", `/v1/apps/${app.id}/events/${event.id}/deliveries?limit=10`, serverKey);
      await gw.request("GET", `/v1/apps/${app.id}/events/${event.id}/deliveries?outcome=lost`, serverKey);
      await gw.request("GET", `/v1/apps/${app.id}/events?limit=1`, serverKey);
      await gw.request("GET", `/v1/apps/${app.id}/events?limit=0`, serverKey);
      await gw.request("GET", `/v1/apps/${app.id}/events/evt_missing`, serverKey);
      await gw.request("POST", `/v1/apps/${app.id}/events/${event.id}/replay`, serverKey);
      await gw.request("POST", `/v1/apps/${app.id}/events/replay`, {
        ...serverKey,
        body: { status: "completed" },
      });
      await receiver.waitFor(3);

      // Signing out, and the operator's probes
      await gw.request("DELETE", "/v1/users/@me/devices", { token: bob.session.token, body: { all: true } });
      await gw.request("DELETE", "/v1/sessions/current", { token: bob.session.token });
      await gw.request("GET", "/healthz");
      await gw.request("GET", "/readyz");
    });

    after(async () => {
      await receiver?.close();
      await world?.close();
    });

    it("answers only statuses the document lists for the operation, with the headers and media type it names", () => {
      for (const exchange of exchanges) {
        const { template, responses } = operationOf(exchange);
        const { status, headers } = exchange.response;
        const label = `${exchange.method} ${exchange.pathname} → ${status}`;
        const documented = (responses as Record<string, DocumentedResponse>)[String(status)];
        expect(documented, `${label}: not among the answers of ${template}`).to.exist;
        for (const name of Object.keys(documented?.headers ?? {})) {
          expect(headers.get(name), `${label}: header ${name}`).to.be.a("string");
        }
        const mediaTypes = Object.keys(documented?.content ?? {});
        if (mediaTypes.length === 0) expect(exchange.response.body, `${label}: has a body`).to.equal("");
        else
          expect(headers.get("content-type"), label).to.satisfy((type: string) =>
            type.startsWith(mediaTypes[0] ?? ""),
          );
      }
    });

    it("answers JSON that its documented schema describes, field for field", () => {
      for (const exchange of exchanges) {
        const { responses } = operationOf(exchange);
        const { status, body } = exchange.response;
        const documented = (responses as Record<string, DocumentedResponse>)[String(status)];
        const ref = Object.values(documented?.content ?? {})[0]?.schema?.$ref;
        if (!ref) continue;
        const name = ref.replace("#/components/schemas/", "");
        const schema = schemas.get(name);
        if (!schema) throw new Error(`no zod schema named ${name}`);
        expectDescribedBy(schema, body, `${exchange.method} ${exchange.pathname} → ${status} (${name})`);
      }
    });

    it("reached every answer the document gives a JSON schema", () => {
      const answered = new Set(
        exchanges.map(
          (exchange) => `${exchange.method} ${operationOf(exchange).template} ${exchange.response.status}`,
        ),
      );
      const unvisited: string[] = [];
      for (const [template, item] of Object.entries<Record<string, { responses: object }>>(document.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          for (const [status, response] of Object.entries(
            operation.responses as Record<string, DocumentedResponse>,
          )) {
            const json = response.content?.["application/json"]?.schema?.$ref;
            if (!json) continue;
            const key = `${method.toUpperCase()} ${template} ${status}`;
            if (!answered.has(key)) unvisited.push(key);
          }
        }
      }
      expect(unvisited).to.deep.equal([]);
    });

    it("POSTs to the webhook what the webhooks section describes, signed as its headers say", () => {
      const delivery = document.webhooks.eventDelivery.post;
      const headerNames: string[] = delivery.parameters.map((parameter: { name: string }) => parameter.name);
      expect(receiver.deliveries).to.not.be.empty;
      for (const [index, received] of receiver.deliveries.entries()) {
        for (const name of headerNames)
          expect(received.headers[name], `delivery ${index}: ${name}`).to.be.a("string");
        expect(received.verifiedWith, `delivery ${index}: signature`).to.not.equal(null);
        expect(String(received.headers["webhook-signature"]).split(" ")).to.have.length(2);
        expectDescribedBy(webhookDeliverySchema, received.body, `delivery ${index}`);
      }
    });
  });
});
