import type { LiveEvent } from "../../../src/domain/events/live-event.js";
import { ChunkDelivery } from "../../../src/pipeline/dispatch/chunk-delivery.js";
import { Dispatcher, type DispatchOptions } from "../../../src/pipeline/dispatch/dispatcher.js";
import type { DeliveryJob, ReceiptJob, RunRef } from "../../../src/pipeline/jobs.js";
import { testApp } from "./app.js";
import { InMemoryBadgeCounter } from "./badges.js";
import { InMemoryBurstCounter } from "./bursts.js";
import { InMemoryDeliveryLedger } from "./delivery-ledger.js";
import { InMemoryDeviceDeliveries } from "./device-deliveries.js";
import { OneTokenPerUser, ScriptedSender } from "./push.js";
import { RecordingQueue } from "./queues.js";
import { InMemoryRunLedger } from "./run-ledger.js";

/** The dispatch stage on in-memory parts, with one accepted event. */
export function dispatchWorld(options: Partial<DispatchOptions> = {}) {
  const app = testApp();
  const event = {
    id: "event-1",
    type: "message.created",
    occurred_at: new Date().toISOString(),
    actor: { id: "u0" },
    channel: { id: "c1", member_ids: ["u0", "u1", "u2"] },
    message: { id: "m1", type: "text", text: "hello" },
  } as LiveEvent;
  const runs = new InMemoryRunLedger();
  runs.accept(app.id, event);
  const tokens = new OneTokenPerUser();
  const sender = new ScriptedSender();
  const deliveries = new RecordingQueue<DeliveryJob>();
  const chunks = new ChunkDelivery(
    tokens,
    sender,
    new InMemoryDeliveryLedger(),
    new InMemoryDeviceDeliveries(),
    new InMemoryBadgeCounter(),
    new InMemoryBurstCounter(),
    {
      baseMs: 10,
      maxMs: 20,
    },
  );
  const receipts = new RecordingQueue<ReceiptJob>();
  const dispatcher = new Dispatcher(chunks, deliveries, receipts, tokens, {
    fanoutChunkSize: 500,
    inlineDeliveryMaxRecipients: 10,
    receiptDelayMs: 0,
    ...options,
  });
  const ref: RunRef = { appId: app.id, eventId: event.id, run: 0 };
  return {
    app,
    event,
    ref,
    runs,
    tokens,
    sender,
    deliveries,
    dispatcher,
    /** The event as the run ledger has it now. */
    record: async () => runs.find(app.id, event.id),
  };
}
