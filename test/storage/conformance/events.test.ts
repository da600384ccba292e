import { expect } from "chai";
import type { JobReport } from "../../../src/domain/events/event-repository.js";
import type { LiveEvent } from "../../../src/domain/events/live-event.js";
import { SqlDeviceDeliveryRepository } from "../../../src/storage/repositories/device-deliveries.js";
import { SqlEventRepository } from "../../../src/storage/repositories/events.js";
import { insertApp } from "../support/rows.js";
import { openTestSqlDatabase, type TestSqlDatabase } from "../support/test-sql-database.js";

function liveEvent(id: string, extra: Record<string, unknown> = {}): LiveEvent {
  return {
    id,
    type: "message.created",
    occurred_at: "2026-11-29T10:00:00Z",
    actor: { id: "u1", display_name: "Alice" },
    channel: { id: "c1" },
    message: { id: "m1", type: "text", text: "héllo ✓" },
    ...extra,
  } as LiveEvent;
}

const inAnHour = () => new Date(Date.now() + 3_600_000);

function report(
  jobId: string,
  counts: Partial<JobReport["counts"]> = {},
  followUps: string[] = [],
): JobReport {
  return {
    jobId,
    counts: { sent: 0, failed: 0, invalidTokens: 0, expired: 0, silenced: 0, folded: 0, ...counts },
    newTokens: counts.sent ?? 0,
    followUps,
  };
}

describe("storage conformance: events", () => {
  let database: TestSqlDatabase;
  let events: SqlEventRepository;
  const receivedAt = new Date("2026-11-29T10:00:00.123Z");

  before(async () => {
    database = await openTestSqlDatabase();
    events = new SqlEventRepository(database.db);
    await insertApp(database.db, "app_1");
    await insertApp(database.db, "app_2");
    await insertApp(database.db, "app_queued");
    await insertApp(database.db, "app_search");
  });
  after(() => database.close());

  async function accepted(id: string, appId = "app_1", at = receivedAt, extra: Record<string, unknown> = {}) {
    const [reservation] = await events.reserve(appId, [
      { event: liveEvent(id, extra), mode: "direct", receivedAt: at },
    ]);
    expect(reservation).to.equal("new");
  }

  describe("reserving ids", () => {
    it("claims new ids, answers duplicate for accepted ones, per app, and keeps the payload as sent", async () => {
      const payload = liveEvent("e1", { data: { deep_link: "acme://c/c1", nested: { z: 1, a: [1, 2] } } });
      expect(
        await events.reserve("app_1", [
          { event: payload, mode: "webhook", receivedAt },
          { event: liveEvent("e2"), mode: "direct", receivedAt },
        ]),
      ).to.deep.equal(["new", "new"]);
      expect(
        await events.reserve("app_1", [{ event: liveEvent("e1"), mode: "direct", receivedAt }]),
      ).to.deep.equal(["duplicate"]);
      expect(
        await events.reserve("app_2", [{ event: liveEvent("e1"), mode: "direct", receivedAt }]),
      ).to.deep.equal(["new"]);
      const record = await events.find("app_1", "e1");
      expect(JSON.stringify(record?.payload)).to.equal(JSON.stringify(payload));
      expect(record).to.include({ mode: "webhook", status: "queued", run: 0, type: "message.created" });
      expect(record?.receivedAt.toISOString()).to.equal(receivedAt.toISOString());
      expect(record?.suppressedBy).to.deep.equal({});
      await events.release("app_2", ["e1"]);
    });

    it("claims the ids of several requests in one turn, of any apps, each taken by its first claim only", async () => {
      const claim = (appId: string, ...ids: string[]) =>
        events.reserve(
          appId,
          ids.map((id) => ({ event: liveEvent(id), mode: "direct" as const, receivedAt })),
        );
      await accepted("turn-old");
      const answers = await Promise.all([
        claim("app_1", "turn-a", "turn-b"),
        claim("app_2", "turn-a"),
        claim("app_1", "turn-b", "turn-c", "turn-old"),
        claim("app_1", "turn-a"),
      ]);
      expect(answers).to.deep.equal([
        ["new", "new"],
        ["new"],
        ["duplicate", "new", "duplicate"],
        ["duplicate"],
      ]);
      for (const [appId, id] of [
        ["app_1", "turn-a"],
        ["app_1", "turn-c"],
        ["app_2", "turn-a"],
      ] as const)
        expect(await events.find(appId, id)).to.include({ status: "queued" });
      await events.release("app_2", ["turn-a"]);
    });

    it("releases a claim whose enqueue failed, so that the id can be claimed again, and never a started run", async () => {
      expect(
        await events.reserve("app_1", [{ event: liveEvent("e3"), mode: "direct", receivedAt }]),
      ).to.deep.equal(["new"]);
      expect(await events.find("app_1", "e3")).to.include({ status: "queued" });
      await events.release("app_1", ["e3"]);
      expect(await events.find("app_1", "e3")).to.equal(null);
      expect(
        await events.reserve("app_1", [{ event: liveEvent("e3"), mode: "webhook", receivedAt }]),
      ).to.deep.equal(["new"]);

      await events.recordAudience("app_1", "e3", 0, {
        recipients: 1,
        suppressed: 0,
        suppressedBy: {},
        expiresAt: new Date(receivedAt.getTime() + 60_000),
        jobIds: ["e3/job"],
      });
      await events.release("app_1", ["e3"]);
      expect(await events.find("app_1", "e3"), "processing: not a claim").to.include({
        status: "processing",
      });
      const replayed = await events.replay("app_1", "e3");
      await events.release("app_1", ["e3"]);
      expect(await events.find("app_1", "e3"), "a replay's run: not a claim").to.include({ run: replayed });
    });

    it("lists an app's runs queued since before a time, oldest first, not those started", async () => {
      const base = new Date("2026-11-20T00:00:00Z");
      const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000);
      for (const [id, minutes] of [
        ["q_late", 3],
        ["q_early", 1],
        ["q_started", 0],
        ["q_new", 10],
      ] as const)
        await events.reserve("app_queued", [
          { event: liveEvent(id), mode: "direct", receivedAt: at(minutes) },
        ]);
      await events.recordAudience("app_queued", "q_started", 0, {
        recipients: 0,
        suppressed: 0,
        suppressedBy: {},
        expiresAt: at(60),
        jobIds: [],
      });
      expect(await events.queuedBefore("app_queued", at(5), 10)).to.deep.equal([
        { appId: "app_queued", id: "q_early", run: 0 },
        { appId: "app_queued", id: "q_late", run: 0 },
      ]);
      expect(await events.queuedBefore("app_queued", at(5), 1)).to.have.length(1);
      expect(await events.queuedBefore("app_1", at(5), 10), "per app").to.deep.equal([]);
    });

    it("reserves a batch of 500 in one call", async () => {
      const batch = Array.from({ length: 500 }, (_, i) => ({
        event: liveEvent(`batch_${i}`),
        mode: "direct" as const,
        receivedAt,
      }));
      const reservations = await events.reserve("app_2", batch);
      expect(reservations.every((reservation) => reservation === "new")).to.equal(true);
      await events.release(
        "app_2",
        batch.map(({ event }) => event.id),
      );
    });
  });

  describe("listing", () => {
    before(async () => {
      for (let i = 0; i < 5; i++) await accepted(`list_${i}`, "app_2", new Date(Date.UTC(2026, 0, 1 + i)));
      await accepted("list_tie", "app_2", new Date(Date.UTC(2026, 0, 3)));
      await events.markFailed("app_2", "list_1", 0, "boom");
    });

    it("lists newest first with a cursor, and filters by status and time", async () => {
      const ids = async (query: Parameters<SqlEventRepository["list"]>[1]) =>
        (await events.list("app_2", query)).map((record) => record.id);
      expect(await ids({ limit: 3 })).to.deep.equal(["list_4", "list_3", "list_tie"]);
      expect(
        await ids({ limit: 3, before: { receivedAt: new Date(Date.UTC(2026, 0, 3)), id: "list_tie" } }),
      ).to.deep.equal(["list_2", "list_1", "list_0"]);
      expect(await ids({ limit: 10, status: "failed" })).to.deep.equal(["list_1"]);
      expect(
        await ids({
          limit: 10,
          since: new Date(Date.UTC(2026, 0, 2)),
          until: new Date(Date.UTC(2026, 0, 3)),
        }),
      ).to.deep.equal(["list_tie", "list_2", "list_1"]);
      expect(await events.idsFor("app_2", { status: "failed" }, 10)).to.deep.equal(["list_1"]);
      expect(await events.idsFor("app_2", { status: "queued" }, 2)).to.deep.equal(["list_0", "list_2"]);
      expect(
        await events.idsFor("app_2", { status: "queued", since: new Date(Date.UTC(2026, 0, 4)) }, 10),
      ).to.have.members(["list_3", "list_4"]);
    });
  });

  describe("searching (the console's event list)", () => {
    const day = (n: number) => new Date(Date.UTC(2026, 1, n));
    const audience = { recipients: 1, suppressed: 0, suppressedBy: {}, expiresAt: inAnHour() };

    before(async () => {
      const at = (id: string, n: number, extra: Record<string, unknown>) =>
        accepted(id, "app_search", day(n), extra);
      await at("s_actor", 1, { actor: { id: "alice" }, channel: { id: "general" } });
      await at("s_recipient", 2, { type: "call.ringing", recipient_ids: ["bob", "alice"] });
      await at("s_member", 3, { channel: { id: "random", member_ids: ["carol", "alice"] } });
      await at("s_device", 4, { actor: { id: "dan" }, channel: { id: "general" } });
      await at("s_tie", 4, { actor: { id: "erin" }, channel: { id: "general", member_ids: ["alicex"] } });
      await at("s_failed", 5, {});
      await events.markFailed("app_search", "s_failed", 0, "boom");
      // Completed, with a failed token: "had failures" though the event is not `failed`.
      await events.recordAudience("app_search", "s_device", 0, {
        ...audience,
        jobIds: [],
        delivered: report("s_device/deliver", { sent: 1, failed: 1 }),
      });
      await events.recordAudience("app_search", "s_tie", 0, {
        ...audience,
        jobIds: [],
        delivered: report("s_tie/deliver", { invalidTokens: 1 }),
      });
      await new SqlDeviceDeliveryRepository(database.db).record("app_search", "s_device", 0, [
        {
          token: "tok_alice",
          userId: "alice",
          deviceId: "d1",
          provider: "gcm",
          outcome: "failed",
          providerStatus: "500",
          providerError: "internal",
          at: day(4),
          sent: true,
        },
      ]);
    });

    const ids = async (query: Parameters<SqlEventRepository["search"]>[1], limit = 20) =>
      (await events.search("app_search", query, { limit })).map((record) => record.id);

    it("finds events by exact id, type, status and channel, newest first, in this app only", async () => {
      expect(await ids({})).to.deep.equal([
        "s_failed",
        "s_tie",
        "s_device",
        "s_member",
        "s_recipient",
        "s_actor",
      ]);
      expect(await ids({ id: "s_member" })).to.deep.equal(["s_member"]);
      expect(await ids({ id: "s_mem" }), "exact, not a prefix").to.deep.equal([]);
      expect(await ids({ type: "call.ringing" })).to.deep.equal(["s_recipient"]);
      expect(await ids({ status: "failed" })).to.deep.equal(["s_failed"]);
      expect(await ids({ channelId: "general" })).to.deep.equal(["s_tie", "s_device", "s_actor"]);
      expect(await ids({ channelId: "general", since: day(2), until: day(4) })).to.deep.equal([
        "s_tie",
        "s_device",
      ]);
      expect((await events.search("app_1", { id: "s_member" }, { limit: 5 })).length).to.equal(0);
    });

    it("finds the events that name a user: actor, recipient, channel member, or a device of theirs", async () => {
      expect(await ids({ userId: "alice" })).to.deep.equal([
        "s_device",
        "s_member",
        "s_recipient",
        "s_actor",
      ]);
      expect(await ids({ userId: "alicex" })).to.deep.equal(["s_tie"]);
      expect(await ids({ userId: "nobody" })).to.deep.equal([]);
    });

    it("finds the events that had failures: a failed token, a dead one, or a failed event", async () => {
      expect(await ids({ hadFailures: true })).to.deep.equal(["s_failed", "s_tie", "s_device"]);
      expect(await ids({ hadFailures: true, status: "completed" })).to.deep.equal(["s_tie", "s_device"]);
    });

    it("pages with a cursor that keeps events received at the same instant apart", async () => {
      const first = await events.search("app_search", { channelId: "general" }, { limit: 1 });
      expect(first.map((record) => record.id)).to.deep.equal(["s_tie"]);
      const last = first[0] as NonNullable<(typeof first)[0]>;
      const next = await events.search(
        "app_search",
        { channelId: "general" },
        { limit: 5, before: { receivedAt: last.receivedAt, id: last.id } },
      );
      expect(next.map((record) => record.id)).to.deep.equal(["s_device", "s_actor"]);
    });

    it("counts the matches up to a bound", async () => {
      expect(await events.countMatching("app_search", {}, 100)).to.equal(6);
      expect(await events.countMatching("app_search", {}, 4)).to.equal(4);
      expect(await events.countMatching("app_search", { userId: "alice", hadFailures: true }, 100)).to.equal(
        1,
      );
      expect(await events.countMatching("app_search", { type: "nothing.such" }, 100)).to.equal(0);
    });

    it("names the finished matches for a bulk replay, oldest first, never a run in flight", async () => {
      expect(await events.finishedIdsMatching("app_search", { channelId: "general" }, 10)).to.deep.equal([
        "s_device",
        "s_tie",
      ]);
      expect(await events.finishedIdsMatching("app_search", { hadFailures: true }, 2)).to.deep.equal([
        "s_device",
        "s_tie",
      ]);
      expect(await events.finishedIdsMatching("app_search", { type: "call.ringing" }, 10)).to.deep.equal([]);
    });
  });

  describe("runs", () => {
    it("answers current-run lookups made at once, each for its own app, event and run", async () => {
      await accepted("at_once_1");
      await accepted("at_once_2");
      await accepted("at_once_1", "app_2");
      const started = await Promise.all([
        events.currentRun("app_1", "at_once_1", 0),
        events.currentRun("app_1", "at_once_2", 0),
        events.currentRun("app_1", "at_once_2", 1),
        events.currentRun("app_2", "at_once_1", 0),
        events.currentRun("app_2", "at_once_2", 0),
        events.currentRun("app_1", "at_once_1", 0),
      ]);
      expect(started.map((run) => run && `${run.run} ${run.payload.id}`)).to.deep.equal([
        "0 at_once_1",
        "0 at_once_2",
        null,
        "0 at_once_1",
        null,
        "0 at_once_1",
      ]);
    });

    it("an event delivered by its event stage completes at once, its report counted once", async () => {
      await accepted("inline");
      expect(await events.currentRun("app_1", "inline", 1)).to.equal(null);
      expect((await events.currentRun("app_1", "inline", 0))?.payload.id).to.equal("inline");
      const audience = {
        recipients: 2,
        suppressed: 1,
        suppressedBy: { user: 1 },
        expiresAt: inAnHour(),
        jobIds: [],
        delivered: report("inline:0:event", { sent: 2 }),
      };
      expect(await events.recordAudience("app_1", "inline", 0, audience)).to.equal("recorded");
      const record = await events.find("app_1", "inline");
      expect(record).to.include({ status: "completed", recipients: 2, suppressed: 1, sent: 2, tokens: 2 });
      expect(record?.suppressedBy).to.deep.equal({ user: 1 });
      expect(record?.completedAt).to.be.instanceOf(Date);
      expect(await events.currentRun("app_1", "inline", 0)).to.equal(null);
      expect(await events.recordAudience("app_1", "inline", 0, audience)).to.equal("not-current");
    });

    it("an event stage run again after a crash records the audience but not its report twice", async () => {
      await accepted("again");
      const delivered = report("again:0:event", { sent: 1 }, ["again:0:retry:1"]);
      const audience = {
        recipients: 1,
        suppressed: 0,
        suppressedBy: {},
        expiresAt: inAnHour(),
        jobIds: [],
        delivered,
      };
      expect(await events.recordAudience("app_1", "again", 0, audience)).to.equal("recorded");
      expect(await events.recordAudience("app_1", "again", 0, audience)).to.equal("reported-before");
      expect(await events.find("app_1", "again")).to.include({ status: "processing", sent: 1 });
      expect(
        await events.recordJobDone("app_1", "again", 0, report("again:0:retry:1", { expired: 1 })),
      ).to.equal(true);
      expect(await events.find("app_1", "again")).to.include({ status: "expired", sent: 1, expired: 1 });
    });

    it("an event stage run again after some of its follow-ups reported waits for the others", async () => {
      await accepted("taken-over");
      const audience = {
        recipients: 2,
        suppressed: 0,
        suppressedBy: {},
        expiresAt: inAnHour(),
        jobIds: ["t:chunk:0", "t:chunk:1"],
      };
      expect(await events.recordAudience("app_1", "taken-over", 0, audience)).to.equal("recorded");
      await events.recordJobDone("app_1", "taken-over", 0, report("t:chunk:0", { sent: 1 }));
      expect(await events.recordAudience("app_1", "taken-over", 0, audience)).to.equal("recorded");
      expect(await events.find("app_1", "taken-over")).to.include({ status: "processing", sent: 1 });
      await events.recordJobDone("app_1", "taken-over", 0, report("t:chunk:1", { sent: 1 }));
      expect(await events.find("app_1", "taken-over")).to.include({ status: "completed", sent: 2 });
    });

    it("a fan-out completes when its last job reports, each job counted once, follow-ups kept open", async () => {
      await accepted("fanout");
      const jobIds = ["f:chunk:0", "f:chunk:1", "f:chunk:2"];
      const audience = { recipients: 3, suppressed: 0, suppressedBy: {}, expiresAt: inAnHour(), jobIds };
      expect(await events.recordAudience("app_1", "fanout", 0, audience)).to.equal("recorded");
      expect(await events.find("app_1", "fanout")).to.include({ status: "processing" });
      expect(await events.recordJobDone("app_1", "fanout", 0, report("f:chunk:0", { sent: 1 }))).to.equal(
        true,
      );
      expect(await events.recordJobDone("app_1", "fanout", 0, report("f:chunk:0", { sent: 1 }))).to.equal(
        false,
      );
      expect(
        await events.recordJobDone("app_1", "fanout", 0, report("f:chunk:1", { failed: 1 }, ["f:retry"])),
      ).to.equal(true);
      expect(
        await events.recordJobDone("app_1", "fanout", 0, report("f:chunk:2", { invalidTokens: 1 })),
      ).to.equal(true);
      expect(await events.find("app_1", "fanout")).to.include({ status: "processing" });
      expect(await events.openJobIds("app_1", "fanout", 0, 10), "only the retry is open").to.deep.equal([
        "f:retry",
      ]);
      expect(await events.recordJobDone("app_1", "fanout", 0, report("f:retry", { sent: 1 }))).to.equal(true);
      expect(await events.openJobIds("app_1", "fanout", 0, 10)).to.deep.equal([]);
      expect(await events.find("app_1", "fanout")).to.include({
        status: "completed",
        sent: 2,
        failed: 1,
        invalidTokens: 1,
      });
      expect(await events.recordJobDone("app_1", "unknown", 0, report("f:chunk:0"))).to.equal(false);
    });

    it("jobs of one event reporting all at once complete it exactly once, with every count", async () => {
      await accepted("burst");
      const jobIds = Array.from({ length: 20 }, (_, i) => `b:chunk:${i}`);
      await events.recordAudience("app_1", "burst", 0, {
        recipients: 20,
        suppressed: 0,
        suppressedBy: {},
        expiresAt: inAnHour(),
        jobIds,
      });
      const reports = await Promise.all(
        [...jobIds, ...jobIds].map((jobId) =>
          events.recordJobDone("app_1", "burst", 0, report(jobId, { sent: 1 })),
        ),
      );
      expect(reports.filter(Boolean)).to.have.length(20);
      expect(await events.find("app_1", "burst")).to.include({ status: "completed", sent: 20, tokens: 20 });
    });

    it("a replay starts a new run from zero; the old run's reports no longer count", async () => {
      await accepted("replayed");
      await events.recordAudience("app_1", "replayed", 0, {
        recipients: 1,
        suppressed: 0,
        suppressedBy: {},
        expiresAt: inAnHour(),
        jobIds: ["r:0:chunk"],
      });
      expect(await events.replay("app_1", "replayed")).to.equal(1);
      expect(await events.find("app_1", "replayed")).to.include({ status: "queued", run: 1, recipients: 0 });
      await events.recordJobDone("app_1", "replayed", 0, report("r:0:chunk", { sent: 1 }));
      expect(await events.find("app_1", "replayed")).to.include({ status: "queued", sent: 0 });
      expect(
        await events.recordAudience("app_1", "replayed", 0, {
          recipients: 1,
          suppressed: 0,
          suppressedBy: {},
          expiresAt: inAnHour(),
          jobIds: [],
        }),
      ).to.equal("not-current");
      expect(await events.replay("app_1", "nothing")).to.equal(null);
    });

    it("records the audiences of one turn together: a run no longer current among them leaves no job behind, the others are recorded", async () => {
      for (const id of ["together-1", "together-2", "together-3"]) await accepted(id);
      await events.markFailed("app_1", "together-2", 0, "gone");
      const audience = (jobId: string) => ({
        recipients: 3,
        suppressed: 1,
        suppressedBy: { user: 1 },
        expiresAt: inAnHour(),
        jobIds: [jobId],
      });
      const recorded = await Promise.all(
        ["together-1", "together-2", "together-3"].map((id) =>
          events.recordAudience("app_1", id, 0, audience(`${id}:chunk`)),
        ),
      );
      expect(recorded).to.deep.equal(["recorded", "not-current", "recorded"]);
      expect(await events.openJobIds("app_1", "together-1", 0, 10)).to.deep.equal(["together-1:chunk"]);
      expect(await events.openJobIds("app_1", "together-2", 0, 10)).to.deep.equal([]);
      expect(await events.openJobIds("app_1", "together-3", 0, 10)).to.deep.equal(["together-3:chunk"]);
      expect(await events.find("app_1", "together-3")).to.include({ status: "processing", recipients: 3 });
      expect(await events.find("app_1", "together-2")).to.include({ status: "failed", recipients: 0 });
    });

    it("marks a run failed with its error", async () => {
      await accepted("failing");
      await events.markFailed("app_1", "failing", 0, "no app");
      expect(await events.find("app_1", "failing")).to.include({ status: "failed", error: "no app" });
    });
  });

  describe("webhook mode", () => {
    it("keeps every attempt oldest first, and the customer's decision with an edited audience", async () => {
      await accepted("hooked");
      const at = new Date("2026-11-29T10:00:01.500Z");
      await events.recordWebhookAttempt("app_1", "hooked", {
        run: 0,
        at,
        statusCode: 503,
        durationMs: 12,
        error: "HTTP 503",
        response: "busy",
        request: '{"event":{"id":"hooked"}}',
      });
      await events.recordWebhookAttempt("app_1", "hooked", {
        run: 0,
        at: new Date(at.getTime() + 1000),
        statusCode: null,
        durationMs: 5000,
        error: "timeout",
        response: null,
        request: null,
      });
      const attempts = await events.webhookAttempts("app_1", "hooked");
      expect(attempts.map((attempt) => attempt.statusCode)).to.deep.equal([503, null]);
      expect(attempts[0]).to.deep.equal({
        run: 0,
        at,
        statusCode: 503,
        durationMs: 12,
        error: "HTTP 503",
        response: "busy",
        request: '{"event":{"id":"hooked"}}',
      });
      await events.recordWebhookOutcome("app_1", "hooked", 0, "send");
      expect(await events.find("app_1", "hooked")).to.include({ webhookOutcome: "send" });
      await events.recordWebhookOutcome("app_1", "hooked", 0, "edited", {
        recipients: 4,
        suppressed: 2,
        suppressedBy: { channel: 2 },
      });
      const record = await events.find("app_1", "hooked");
      expect(record).to.include({ webhookOutcome: "edited", recipients: 4, suppressed: 2 });
      expect(record?.suppressedBy).to.deep.equal({ channel: 2 });
    });
  });

  describe("retention", () => {
    it("purges every event received before a time, accepted or not, with their jobs and attempts", async () => {
      await accepted("fresh", "app_1", new Date(receivedAt.getTime() + 1));
      await events.reserve("app_2", [{ event: liveEvent("unaccepted"), mode: "direct", receivedAt }]);
      expect(await events.purgeReceivedBefore(new Date(receivedAt.getTime() + 1))).to.be.greaterThan(10);
      expect((await events.list("app_1", { limit: 1000 })).map((record) => record.id)).to.deep.equal([
        "fresh",
      ]);
      expect(await events.list("app_2", { limit: 1000 })).to.deep.equal([]);
      expect(await events.webhookAttempts("app_1", "hooked")).to.deep.equal([]);
      expect(
        await events.reserve("app_2", [{ event: liveEvent("unaccepted"), mode: "direct", receivedAt }]),
      ).to.deep.equal(["new"]);
    });
  });
});
