import { sql } from "drizzle-orm";
import { batchPerTurn } from "../../common/batch-per-turn.js";
import type {
  DeviceDelivery,
  DeviceDeliveryFilter,
  DeviceDeliveryRepository,
  DeviceDeliveryUpdate,
  DeviceOutcome,
} from "../../domain/events/device-delivery.js";
import type { TokenProvider } from "../../providers/push-provider.js";
import type { SqlDatabase } from "../sql/database.js";
import { statement } from "../sql/statement.js";
import { readTime } from "../sql/values.js";

interface DeliveryRow {
  token: string;
  user_id: string | null;
  device_id: string | null;
  provider: TokenProvider;
  outcome: DeviceOutcome;
  attempts: number;
  provider_status: string | null;
  provider_error: string | null;
  at: unknown;
}

const updateColumns = {
  app_id: "text",
  event_id: "text",
  run: "integer",
  token: "text",
  user_id: "text",
  device_id: "text",
  provider: "text",
  outcome: "text",
  attempts: "integer",
  provider_status: "text",
  provider_error: "text",
  at: "time",
} as const;

/**
 * Every update of a turn in one statement. A token of an earlier run starts over; one of this
 * run adds its sends to its attempts, and keeps the provider's last answer when this one had none
 * (a job run again after a crash reports settled tokens without it).
 */
const upsertDeliveries = statement<{ rows: string }>(
  "device_deliveries.upsert",
  (p, d) => sql`insert into event_deliveries
      (app_id, event_id, run, token, user_id, device_id, provider, outcome, attempts, provider_status, provider_error, at)
    select u.app_id, u.event_id, u.run, u.token, u.user_id, u.device_id, u.provider, u.outcome, u.attempts,
      u.provider_status, u.provider_error, u.at
    from ${d.jsonRows(p.rows, updateColumns)} as u where true
    order by u.app_id, u.event_id, u.token
    on conflict (app_id, event_id, token) do update set
      outcome = excluded.outcome,
      user_id = coalesce(excluded.user_id, event_deliveries.user_id),
      device_id = coalesce(excluded.device_id, event_deliveries.device_id),
      attempts = case when event_deliveries.run = excluded.run
        then event_deliveries.attempts + excluded.attempts else excluded.attempts end,
      provider_status = case when event_deliveries.run = excluded.run
        then coalesce(excluded.provider_status, event_deliveries.provider_status) else excluded.provider_status end,
      provider_error = case when event_deliveries.run = excluded.run
        then coalesce(excluded.provider_error, event_deliveries.provider_error) else excluded.provider_error end,
      run = excluded.run,
      at = excluded.at
    where event_deliveries.run <= excluded.run`,
);

const listDeliveries = statement<
  {
    appId: string;
    eventId: string;
    outcome: string | null;
    userId: string | null;
    afterToken: string | null;
    limit: number;
  },
  DeliveryRow
>(
  "device_deliveries.list",
  (p) => sql`select d.token, d.user_id, d.device_id, d.provider, d.outcome, d.attempts, d.provider_status,
      d.provider_error, d.at
    from event_deliveries d join events e on e.app_id = d.app_id and e.id = d.event_id and e.run = d.run
    where d.app_id = ${p.appId} and d.event_id = ${p.eventId}
      and (cast(${p.outcome} as text) is null or d.outcome = ${p.outcome})
      and (cast(${p.userId} as text) is null or d.user_id = ${p.userId})
      and (cast(${p.afterToken} as text) is null or d.token > ${p.afterToken})
    order by d.token
    limit cast(${p.limit} as integer)`,
);

/** A row as the upsert takes it: the row read back, with its event and run, the time in ms. */
interface StoredUpdate extends Omit<DeliveryRow, "at"> {
  app_id: string;
  event_id: string;
  run: number;
  at: number;
}

export class SqlDeviceDeliveryRepository implements DeviceDeliveryRepository {
  private readonly recordBatched: (updates: StoredUpdate[]) => Promise<void>;

  constructor(private readonly db: SqlDatabase) {
    // The delivery jobs of one event-loop turn (1:1 events a worker sends at once) share a statement.
    this.recordBatched = batchPerTurn(async (batches: StoredUpdate[][]) => {
      await this.db.run(upsertDeliveries, { rows: JSON.stringify(mergedByToken(batches.flat())) });
      return batches.map(() => undefined);
    });
  }

  async record(appId: string, eventId: string, run: number, updates: DeviceDeliveryUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await this.recordBatched(
      updates.map((update) => ({
        app_id: appId,
        event_id: eventId,
        run,
        token: update.token,
        user_id: update.userId,
        device_id: update.deviceId,
        provider: update.provider,
        outcome: update.outcome,
        attempts: update.sent ? 1 : 0,
        provider_status: update.providerStatus,
        provider_error: update.providerError,
        at: update.at.getTime(),
      })),
    );
  }

  async list(appId: string, eventId: string, filter: DeviceDeliveryFilter): Promise<DeviceDelivery[]> {
    const rows = await this.db.all(listDeliveries, {
      appId,
      eventId,
      outcome: filter.outcome ?? null,
      userId: filter.userId ?? null,
      afterToken: filter.afterToken ?? null,
      limit: filter.limit,
    });
    return rows.map((row) => ({
      token: row.token,
      userId: row.user_id,
      deviceId: row.device_id,
      provider: row.provider,
      outcome: row.outcome,
      attempts: row.attempts,
      providerStatus: row.provider_status,
      providerError: row.provider_error,
      at: readTime(row.at),
    }));
  }
}

/**
 * One row per token: a statement may not update a row twice. Two updates of one token in a turn
 * (a job and its rerun) add their sends; the later one's answer wins where it has one.
 */
function mergedByToken(updates: StoredUpdate[]): StoredUpdate[] {
  const byToken = new Map<string, StoredUpdate>();
  for (const update of updates) {
    const key = JSON.stringify([update.app_id, update.event_id, update.token]);
    const earlier = byToken.get(key);
    byToken.set(
      key,
      earlier && earlier.run === update.run
        ? {
            ...update,
            attempts: earlier.attempts + update.attempts,
            provider_status: update.provider_status ?? earlier.provider_status,
            provider_error: update.provider_error ?? earlier.provider_error,
          }
        : update,
    );
  }
  return [...byToken.values()];
}
