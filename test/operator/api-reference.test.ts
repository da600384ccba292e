import { readFile } from "node:fs/promises";
import { expect } from "chai";
import { startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { openApiPath, registeredRoutes } from "./registered-routes.js";

const methods = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];

describe("API reference: /openapi.json and /docs", () => {
  let gw: TestGateway;
  // biome-ignore lint/suspicious/noExplicitAny: the document is arbitrary JSON
  let document: any;

  before(async () => {
    gw = await startTestGateway();
    const response = await gw.request("GET", "/openapi.json");
    expect(response.status).to.equal(200);
    document = response.body;
  });
  after(() => gw.close());

  it("documents every route and method the gateway serves", () => {
    const app = gw.gateway.httpApp;
    if (!app) throw new Error("the gateway serves no HTTP");
    const routes = registeredRoutes(app);
    expect(routes.length, "the walk found the routes").to.be.greaterThan(30);
    const missing = routes
      .map(({ method, path }) => `${method.toUpperCase()} ${openApiPath(path)}`)
      .filter((operation) => {
        const [method = "", path = ""] = operation.split(" ");
        return !document.paths[path]?.[method.toLowerCase()];
      });
    expect(missing, "routes missing from /openapi.json").to.deep.equal([]);
  });

  it("is an OpenAPI 3.1 document whose paths all have operations and answers", () => {
    expect(document.openapi).to.match(/^3\.1\.\d+$/);
    expect(document.info.title).to.equal("Pushgate");
    expect(document.info.version).to.be.a("string").and.not.equal("");
    for (const [path, item] of Object.entries<Record<string, { responses?: object }>>(document.paths)) {
      const operations = Object.keys(item).filter((key) => methods.includes(key));
      expect(operations, path).to.not.be.empty;
      for (const method of operations) {
        expect(Object.keys(item[method]?.responses ?? {}), `${method} ${path}`).to.not.be.empty;
      }
    }
  });

  it("converts the request schemas the routes validate with", () => {
    const body = document.paths["/v1/apps"].post.requestBody;
    expect(body.required).to.equal(true);
    const ref: string = body.content["application/json"].schema.$ref;
    const schema = document.components.schemas[ref.replace("#/components/schemas/", "")];
    expect(schema.required).to.include("name");
    expect(schema.properties.mode.enum).to.deep.equal(["direct", "webhook"]);
    expect(schema.additionalProperties).to.equal(false);

    const listEvents = document.paths["/v1/apps/{app_id}/events"].get;
    const status = listEvents.parameters.find((parameter: { name: string }) => parameter.name === "status");
    expect(status).to.deep.include({ in: "query", required: false });
    const appId = listEvents.parameters.find((parameter: { name: string }) => parameter.name === "app_id");
    expect(appId).to.deep.include({ in: "path", required: true });
  });

  it("serves the document openapi.json in the repository holds", async () => {
    const committed = JSON.parse(await readFile(new URL("../../openapi.json", import.meta.url), "utf8"));
    expect(document).to.deep.equal(committed);
  });

  it("gives every JSON answer the schema its presenter is typed against", () => {
    const schemaOf = (path: string, method: string, status: number, mediaType = "application/json") =>
      document.paths[path][method].responses[status].content[mediaType].schema.$ref;
    expect(schemaOf("/v1/apps", "post", 201)).to.equal("#/components/schemas/CreatedApp");
    expect(schemaOf("/v1/apps/{app_id}/events/{event_id}", "get", 200)).to.equal(
      "#/components/schemas/EventStatus",
    );
    expect(document.components.schemas.EventStatus.required).to.include.members(["status", "deliveries"]);
    expect(schemaOf("/readyz", "get", 503, "application/problem+json")).to.equal(
      "#/components/schemas/NotReadyProblem",
    );
    const sessions = document.paths["/v1/sessions"].post.responses;
    expect(sessions[429].headers).to.have.property("Retry-After");
    expect(sessions[401].content["application/problem+json"].schema.$ref).to.equal(
      "#/components/schemas/Problem",
    );
  });

  it("describes in `webhooks` what a customer's webhook receives and may answer", () => {
    const delivery = document.webhooks.eventDelivery.post;
    expect(delivery.requestBody.content["application/json"].schema.$ref).to.equal(
      "#/components/schemas/WebhookDelivery",
    );
    expect(delivery.parameters.map((parameter: { name: string }) => parameter.name)).to.include.members([
      "webhook-id",
      "webhook-timestamp",
      "webhook-signature",
    ]);
    expect(delivery.responses["2XX"].content["application/json"].schema.$ref).to.equal(
      "#/components/schemas/CustomerAnswer",
    );
    const delivered = document.components.schemas.WebhookDelivery;
    expect(delivered.properties.event.$ref).to.equal("#/components/schemas/LiveEvent");
    expect(delivered.required).to.deep.equal([
      "event",
      "notification",
      "recipient_ids",
      "silent_recipient_ids",
      "suppressed_by",
      "recipient_locales",
      "default_locale",
    ]);
  });

  it("names how each operation authenticates", () => {
    const schemes = document.components.securitySchemes;
    expect(schemes.adminToken).to.include({ type: "http", scheme: "bearer" });
    expect(schemes.apiKey).to.include({ type: "apiKey", in: "header", name: "X-Api-Key" });
    expect(document.paths["/v1/apps"].post.security).to.deep.equal([{ adminToken: [] }]);
    expect(document.paths["/v1/apps/{app_id}"].get.security).to.deep.equal([
      { adminToken: [] },
      { serverKey: [] },
    ]);
    expect(document.paths["/v1/sessions"].post.security).to.deep.equal([{ apiKey: [] }]);
    expect(document.paths["/v1/users/@me/devices"].post.security).to.deep.equal([{ sessionToken: [] }]);
    expect(document.paths["/v1/apps/{app_id}/events"].post.security).to.deep.equal([
      { webhookId: [], webhookTimestamp: [], webhookSignature: [] },
    ]);
    expect(document.paths["/healthz"].get.security).to.deep.equal([]);
  });

  it("has every $ref point at a component", () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)];
    expect(refs).to.not.be.empty;
    for (const [, name = ""] of refs) expect(document.components.schemas, name).to.have.property(name);
  });

  it("renders at /docs from the gateway's own files, within its Content-Security-Policy", async () => {
    const page = await gw.request("GET", "/docs");
    expect(page.status).to.equal(200);
    expect(page.headers.get("content-type")).to.match(/^text\/html/);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).to.match(/script-src 'self'(;|$)/);
    const assets = [...String(page.body).matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url = ""]) => url);
    expect(assets).to.have.length(3);
    for (const asset of assets) {
      expect(asset, "no CDN").to.match(/^\/docs\/assets\//);
      const response = await fetch(gw.url + asset);
      expect(response.status, asset).to.equal(200);
      await response.arrayBuffer();
    }
    const init = await gw.request("GET", "/docs/assets/init.js");
    expect(init.body).to.include('url: "/openapi.json"');
  });
});
