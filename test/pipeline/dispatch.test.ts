import { expect } from "chai";
import type { Fanout } from "../../src/pipeline/dispatch/dispatcher.js";
import { audienceReporter, jobReporter, type RunReporter } from "../../src/pipeline/dispatch/run-reports.js";
import type { DeliveryJob, QueuedMessage, Scheduled } from "../../src/pipeline/jobs.js";
import { dispatchWorld } from "./fakes/dispatch-world.js";
import { dies } from "./fakes/queues.js";

type World = ReturnType<typeof dispatchWorld>;

function message(): QueuedMessage {
  const expiresAt = new Date(Date.now() + 60_000);
  return { title: "Alice", body: "hello", data: {}, expiresAt: expiresAt.toISOString(), call: false };
}

function fanoutTo(world: World, recipientIds: string[]): Fanout {
  return {
    ref: world.ref,
    event: world.event,
    message: message(),
    recipientIds,
    silentRecipientIds: [],
    label: "fanout",
  };
}

/** How the event stage reports its run: with the audience it found. */
function eventStageReporter(world: World, recipients: number): RunReporter {
  const expiresAt = new Date(Date.now() + 60_000);
  return audienceReporter(world.runs, world.ref, { recipients, suppressed: 0, suppressedBy: {}, expiresAt });
}

/** Runs every job in the delivery queue, and those they queue, as the delivery workers would. */
async function drain(world: World): Promise<void> {
  for (let jobs = world.deliveries.take(); jobs.length > 0; jobs = world.deliveries.take()) {
    for (const job of jobs) {
      await world.dispatcher.deliver(
        world.app,
        world.event,
        job,
        jobReporter(world.runs, world.ref, job.jobId),
      );
    }
  }
}

describe("the dispatch stage", () => {
  it("sends a small audience itself, reporting it with the audience: one job for the whole event", async () => {
    const world = dispatchWorld();
    await world.dispatcher.fanOut(world.app, fanoutTo(world, ["u1", "u2"]), eventStageReporter(world, 2));
    expect(world.sender.delivered()).to.have.members(["token-u1", "token-u2"]);
    expect(world.deliveries.added).to.deep.equal([]);
    expect(await world.record()).to.include({ status: "completed", recipients: 2, tokens: 2, sent: 2 });
  });

  it("fails the job, not the process, when recording one token's outcome fails while others are still being sent", async () => {
    const world = dispatchWorld();
    world.tokens.removeToken = () => Promise.reject(new Error("the database is gone"));
    // The dead token's answer comes first; the other send is answered 50 ms later.
    world.sender.send = async (_app, _message, targets, onOutcome) => {
      onOutcome?.(0, { status: "invalid_token", reason: "Unregistered" });
      await new Promise((resolve) => setTimeout(resolve, 50));
      onOutcome?.(1, { status: "sent" });
      return targets.map(() => ({ status: "sent" }));
    };
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.prependListener("unhandledRejection", listener);
    try {
      const failure = await world.dispatcher
        .fanOut(world.app, fanoutTo(world, ["u1", "u2"]), eventStageReporter(world, 2))
        .then(
          () => null,
          (error: Error) => error.message,
        );
      expect(failure).to.equal("the database is gone");
    } finally {
      process.removeListener("unhandledRejection", listener);
    }
    expect(unhandled, "no rejection left to crash the worker").to.deep.equal([]);
  });

  it("cuts a larger audience into delivery jobs, recorded before they are queued", async () => {
    const world = dispatchWorld({ fanoutChunkSize: 2, inlineDeliveryMaxRecipients: 2 });
    await world.dispatcher.fanOut(
      world.app,
      fanoutTo(world, ["u1", "u2", "u3"]),
      eventStageReporter(world, 3),
    );
    const chunks = world.deliveries.added.map((entry) => entry.jobId);
    expect(chunks).to.deep.equal(["app/event-1/0/fanout/0", "app/event-1/0/fanout/1"]);
    expect(world.runs.openJobs(world.app.id, world.event.id)).to.deep.equal(chunks);
    await drain(world);
    expect(await world.record()).to.include({ status: "completed", tokens: 3, sent: 3 });
  });

  it("plans a large audience by who has a device: members without one cost no job", async () => {
    const world = dispatchWorld({ fanoutChunkSize: 2, inlineDeliveryMaxRecipients: 0 });
    for (const userId of ["u1", "u3", "u4", "u5"]) world.tokens.withoutDevice.add(userId);
    await world.dispatcher.fanOut(
      world.app,
      fanoutTo(world, ["u1", "u2", "u3", "u4", "u5", "u6"]),
      eventStageReporter(world, 6),
    );
    expect(world.deliveries.added.map((entry) => entry.job.userIds)).to.deep.equal([["u2", "u6"]]);
    await drain(world);
    expect(await world.record()).to.include({ status: "completed", recipients: 6, tokens: 2, sent: 2 });
  });

  const reportedThenDied = [
    {
      title: "the event stage sending a small audience itself",
      run: (world: World) =>
        world.dispatcher.fanOut(world.app, fanoutTo(world, ["u1", "u2"]), eventStageReporter(world, 2)),
      retryId: "app/event-1/0/fanout/0/retry",
    },
    {
      title: "a queued delivery job",
      run: (world: World) => {
        const chunk: Scheduled<DeliveryJob> = {
          job: { ...world.ref, message: message(), userIds: ["u1", "u2"], attempt: 1 },
          jobId: "chunk-0",
        };
        return world.dispatcher.deliver(
          world.app,
          world.event,
          chunk,
          jobReporter(world.runs, world.ref, chunk.jobId),
        );
      },
      before: (world: World) =>
        world.runs.recordAudience(world.app.id, world.event.id, 0, {
          recipients: 2,
          suppressed: 0,
          suppressedBy: {},
          expiresAt: new Date(Date.now() + 60_000),
          jobIds: ["chunk-0"],
        }),
      retryId: "chunk-0/retry",
    },
  ];

  for (const { title, run, before, retryId } of reportedThenDied)
    it(`of ${title}: a report recorded, then the worker died before queueing its retry; run again, the retry still comes and each token counts once`, async () => {
      const world = dispatchWorld();
      await before?.(world);
      world.sender.script("token-u1", { status: "retry", reason: "429" });
      world.deliveries.dying = true;

      await dies(run(world));
      expect(await world.record()).to.include({ status: "processing", tokens: 2, sent: 1 });
      expect(world.runs.openJobs(world.app.id, world.event.id), "the run waits for the retry").to.deep.equal([
        retryId,
      ]);

      world.deliveries.dying = false;
      await run(world);
      expect(await world.record(), "the report counted once").to.include({ tokens: 2, sent: 1 });
      expect(world.deliveries.added.map((entry) => entry.jobId)).to.deep.equal([retryId]);
      expect(world.deliveries.added[0]?.job.targets, "to the token without a result").to.deep.equal([
        { provider: "gcm", token: "token-u1", userId: "u1", deviceId: "device-u1", locale: null },
      ]);

      await drain(world);
      expect(await world.record()).to.include({ status: "completed", tokens: 2, sent: 2, failed: 0 });
      expect(world.sender.delivered(), "each device reached once").to.have.members(["token-u1", "token-u2"]);
    });

  it("counts a delivery job once however often it runs, and sends nobody twice", async () => {
    const world = dispatchWorld({ inlineDeliveryMaxRecipients: 0 });
    await world.dispatcher.fanOut(world.app, fanoutTo(world, ["u1", "u2"]), eventStageReporter(world, 2));
    const [chunk] = world.deliveries.take() as [Scheduled<DeliveryJob>];
    const reporter = jobReporter(world.runs, world.ref, chunk.jobId);

    await world.dispatcher.deliver(world.app, world.event, chunk, reporter);
    await world.dispatcher.deliver(world.app, world.event, chunk, reporter);
    await drain(world);

    expect(await world.record()).to.include({ status: "completed", tokens: 2, sent: 2 });
    expect(world.sender.sends.map((send) => send.token)).to.have.members(["token-u1", "token-u2"]);
    expect(world.sender.sends).to.have.length(2);
  });

  it("queues the same chunks when run again after the worker died between recording and queueing them", async () => {
    const world = dispatchWorld({ fanoutChunkSize: 2, inlineDeliveryMaxRecipients: 0 });
    const fanout = fanoutTo(world, ["u1", "u2", "u3"]);
    world.deliveries.dying = true;
    await dies(world.dispatcher.fanOut(world.app, fanout, eventStageReporter(world, 3)));
    const recorded = world.runs.openJobs(world.app.id, world.event.id);
    expect(recorded).to.have.length(2);

    world.deliveries.dying = false;
    await world.dispatcher.fanOut(world.app, fanout, eventStageReporter(world, 3));
    expect(world.deliveries.added.map((entry) => entry.jobId)).to.deep.equal(recorded);
    await drain(world);
    expect(await world.record()).to.include({ status: "completed", recipients: 3, tokens: 3, sent: 3 });
  });

  it("queues nothing for a run replayed since", async () => {
    const world = dispatchWorld({ inlineDeliveryMaxRecipients: 0 });
    world.runs.replay(world.app.id, world.event.id);
    await world.dispatcher.fanOut(world.app, fanoutTo(world, ["u1"]), eventStageReporter(world, 1));
    expect(world.deliveries.added).to.deep.equal([]);
    expect(world.sender.sends).to.deep.equal([]);
  });
});
