import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import fc from "fast-check";
import { liveEventTypes } from "../../src/domain/events/live-event.js";
import { signWebhook } from "../../src/security/standard-webhooks.js";
import {
  awkwardText,
  bodyBytes,
  contentHeaders,
  fieldValue,
  headerValue,
  pathSegment,
  queryString,
  strayHeader,
} from "./arbitraries.js";
import { expectClientOutcome, type FuzzWorld, fuzzParameters, useFuzzWorld } from "./fuzz-world.js";
import type { RawRequest } from "./raw-http.js";

/** A valid event of each type, for the fuzzer to start from and spoil. */
function validEvent(type: string, id: string, userIds: string[], channelId: string, text: string) {
  const channel = { id: channelId, display_name: text, member_ids: userIds };
  const actor = { id: userIds[0] ?? "u1", display_name: text };
  const base = { id, type, occurred_at: new Date().toISOString() };
  switch (type) {
    case "channel.created":
    case "channel.deleted":
      return { ...base, channel };
    case "call.ringing":
      return { ...base, actor, channel, call: { id: `call-${id}`, kind: "audio" } };
    case "notification.custom":
      return { ...base, recipient_ids: userIds, notification: { title: `Hi ${text}`, body: text } };
    case "message.created":
      return { ...base, actor, channel, message: { id: `m-${id}`, type: "text", text } };
    default:
      return { ...base, actor, channel };
  }
}

const eventFields = [
  "id",
  "type",
  "occurred_at",
  "actor",
  "channel",
  "message",
  "recipient_ids",
  "data",
  "call",
  "notification",
  "module",
  "__proto__",
  "extra",
];

/** Ingest requests: signed and unsigned, to the fuzzed app, the bystander, apps that do not exist. */
function ingestRequests(world: FuzzWorld): fc.Arbitrary<RawRequest> {
  const { target, bystander } = world;
  const known = [
    target.id,
    bystander.app.id,
    bystander.userId,
    bystander.channelId,
    bystander.eventId,
    "batch",
    "replay",
    "u1",
  ];
  const event = fc
    .record({
      type: fc.constantFrom(...liveEventTypes),
      id: fc.oneof(fc.uuid(), fc.constantFrom(...known)),
      userIds: fc.array(fc.constantFrom(...known), { minLength: 1, maxLength: 4 }),
      channelId: fc.constantFrom(...known),
      text: fc.oneof(
        { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
        awkwardText(known),
      ),
      spoiled: fc.oneof(
        { weight: 2, arbitrary: fc.constant({}) },
        fc.dictionary(fc.constantFrom(...eventFields), fieldValue([...known, ...liveEventTypes]), {
          minKeys: 1,
          maxKeys: 3,
        }),
      ),
    })
    .map(({ type, id, userIds, channelId, text, spoiled }) => ({
      ...validEvent(type, id, userIds, channelId, text),
      ...spoiled,
    }));
  const shaped = fc.oneof(
    event,
    fc.record({ events: fc.array(event, { maxLength: 8 }) }),
    fc.record({ events: fc.array(fieldValue(known), { maxLength: 4 }) }),
  );
  const appPaths = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(target.id) },
    fc.constantFrom(bystander.app.id),
    pathSegment(known),
  );
  const path = fc.oneof(
    { weight: 6, arbitrary: appPaths.map((app) => `/v1/apps/${app}/events`) },
    { weight: 3, arbitrary: appPaths.map((app) => `/v1/apps/${app}/events/batch`) },
    fc
      .tuple(appPaths, fc.array(pathSegment(known), { minLength: 1, maxLength: 3 }))
      .map(([app, rest]) => `/v1/apps/${app}/events/${rest.join("/")}`),
  );
  const method = fc.oneof(
    { weight: 10, arbitrary: fc.constant("POST") },
    fc.constantFrom("GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "post", "TRACE"),
    fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 10 }),
  );
  const now = () => Math.floor(Date.now() / 1000);
  // How the Standard Webhooks headers come: right, stale, by someone without the secret, or anyhow.
  const signing = fc.oneof(
    { weight: 4, arbitrary: fc.constant({ kind: "valid" as const }) },
    fc.constant({ kind: "stale" as const }),
    fc.constant({ kind: "forged" as const }),
    fc.record({
      kind: fc.constant("random" as const),
      id: fc.option(headerValue(["msg_1", "evt_1", ""])),
      timestamp: fc.option(
        headerValue(["0", "-1", "1e3", "99999999999999", " 1", String(now()), String(now() + 10_000)]),
      ),
      signature: fc.option(headerValue(["v1,", "v1,AAAA", "v2,x v1,y", `v1,${"A".repeat(44)}`, " "])),
    }),
  );
  const signedBy = (body: Buffer, secret: string, timestamp = now()): [string, string][] =>
    Object.entries(signWebhook([secret], "msg_fuzz", timestamp, body));
  const anyRequest = fc
    .record({
      method,
      path,
      query: queryString,
      body: bodyBytes(shaped),
      signing,
      content: contentHeaders,
      stray: fc.array(strayHeader, { maxLength: 2 }),
    })
    .map(({ method, path, query, body, signing, content, stray }): RawRequest => {
      const headers: [string, string][] = [...content, ...stray];
      if (signing.kind === "random") {
        if (signing.id !== null) headers.push(["webhook-id", signing.id]);
        if (signing.timestamp !== null) headers.push(["webhook-timestamp", signing.timestamp]);
        if (signing.signature !== null) headers.push(["webhook-signature", signing.signature]);
      } else if (signing.kind === "forged") {
        headers.push(...signedBy(body, "whsec_Zm9yZ2VkLWJ5LXRoZS1mdXp6ZXI="));
      } else {
        headers.push(...signedBy(body, target.event_secret, signing.kind === "stale" ? now() - 3600 : now()));
      }
      return { method, target: `${path}${query}`, headers, body };
    });
  // Posts as the app's backend makes them, events spoiled now and then: most are accepted and processed.
  const wellFormed = fc
    .oneof(
      event.map((value) => ({ path: `/v1/apps/${target.id}/events`, value })),
      fc
        .array(event, { minLength: 1, maxLength: 8 })
        .map((events) => ({ path: `/v1/apps/${target.id}/events/batch`, value: { events } })),
    )
    .map(({ path, value }): RawRequest => {
      const body = Buffer.from(JSON.stringify(value));
      const headers: [string, string][] = [
        ["content-type", "application/json"],
        ...signedBy(body, target.event_secret),
      ];
      return { method: "POST", target: path, headers, body };
    });
  return fc.oneof(wellFormed, { weight: 3, arbitrary: anyRequest });
}

describe("fuzz: ingest", function () {
  this.timeout(180_000);
  let world: FuzzWorld;
  useFuzzWorld({}, (started) => {
    world = started;
  });

  it("answers any request under /v1/apps/{id}/events with a client's status, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(ingestRequests(world), async (request) => {
        await expectClientOutcome(world, request);
      }),
      fuzzParameters(200),
    );
  });

  it("processes every event it accepted to the end: none fails", async () => {
    const { gw, target } = world;
    const withStatus = async (status: string) => {
      const answer = await gw.request("GET", `/v1/apps/${target.id}/events?status=${status}`, {
        token: target.server_key,
      });
      return answer.body.events as { id: string }[];
    };
    const deadline = Date.now() + 30_000;
    while ((await withStatus("queued")).length + (await withStatus("processing")).length > 0) {
      expect(Date.now(), "events still open after 30 s").to.be.below(deadline);
      await sleep(200);
    }
    expect(await withStatus("failed")).to.deep.equal([]);
  });
});
