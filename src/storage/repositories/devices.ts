import { type SQL, sql } from "drizzle-orm";
import type {
  DeviceOwner,
  DeviceRegistration,
  DeviceTarget,
  Platform,
  PushToken,
} from "../../domain/devices/device.js";
import { isVoipProvider } from "../../domain/devices/device.js";
import type { DeviceRepository, SyncUser } from "../../domain/devices/device-repository.js";
import type { TokenProvider } from "../../providers/push-provider.js";
import { newId } from "../../security/credentials.js";
import type { SqlDatabase } from "../sql/database.js";
import { type DialectFragments, type Placeholders, statement } from "../sql/statement.js";

/*
 * Concurrency. SQLite runs one writing transaction at a time. On PostgreSQL:
 * - A registration first runs read committed. Binding the device takes its row lock, which
 *   queues every other registration of that device until commit; after that the registration
 *   writes the device's own tokens and sync bindings only. Should a token of it be on another
 *   device, or the attempt fail in any other way, it rolls back and runs serializable, taking
 *   the token from there.
 * - A write that may leave a device without tokens reads whether the device keeps one, then
 *   deletes it or not. It runs serializable: a registration giving the device a token meanwhile
 *   then aborts it (the adapter runs it again), where read committed, having waited for the
 *   device's row lock, would delete the device on its stale read, new token included.
 * - Rows are locked device first, then its tokens, then its sync bindings, the order of a
 *   device's cascading delete: writers queue rather than deadlock, but for devices swapping
 *   tokens at the same moment.
 * Serializable stays the exception: its predicate locks on index pages, foreign key checks
 * included, make concurrent registrations of unrelated devices abort one another.
 */

/** A token in its slot of a device: a device has at most one regular and one VoIP token. */
interface TokenSlot {
  provider: PushToken["provider"];
  token: string;
  platform: Platform;
  voip: boolean;
  /** A Web Push subscription's keys, as JSON. */
  push_keys: string | null;
}

/** The slots a registration fills: its token, and the VoIP token paired with it if any (never the same slot). */
function slotsOf(registration: DeviceRegistration): TokenSlot[] {
  const { provider, token, keys } = registration.token;
  const slots: TokenSlot[] = [
    {
      provider,
      token,
      platform: registration.platform,
      voip: isVoipProvider(provider),
      push_keys: keys ? JSON.stringify(keys) : null,
    },
  ];
  if (registration.voip) slots.push({ ...registration.voip, platform: "ios", voip: true, push_keys: null });
  return slots;
}

const slotColumns = {
  token: "text",
  provider: "text",
  platform: "text",
  voip: "boolean",
  push_keys: "text",
} as const;

interface BindParams {
  newDeviceId: string;
  appId: string;
  userId: string;
  sessionId: string;
  locale: string | null;
  variant: string | null;
  now: Date;
}

/**
 * The device row a registration binds to its owner, written only while the session is
 * unexpired: no row back means the session has ended and nothing was written.
 */
function binding(p: Placeholders<BindParams>, d: DialectFragments, id: SQL, clientDeviceId: SQL): SQL {
  return sql`insert into devices (id, app_id, client_device_id, user_id, session_id, locale, variant, created_at, updated_at)
    select ${id}, cast(${p.appId} as text), ${clientDeviceId}, cast(${p.userId} as text), sessions.id,
      cast(${p.locale} as text), cast(${p.variant} as text), ${d.time(p.now)}, ${d.time(p.now)}
    from sessions where sessions.id = ${p.sessionId} and sessions.expires_at > ${p.now}`;
}

const lastWriteWins = sql`do update set user_id = excluded.user_id, session_id = excluded.session_id,
  locale = excluded.locale, variant = excluded.variant, updated_at = excluded.updated_at
  returning id`;

const bindByClientDeviceId = statement<BindParams & { clientDeviceId: string }, { id: string }>(
  "devices.bind_by_client_device_id",
  (p, d) => sql`${binding(p, d, sql`cast(${p.newDeviceId} as text)`, sql`cast(${p.clientDeviceId} as text)`)}
    on conflict (app_id, client_device_id) ${lastWriteWins}`,
);

/** Without a client device id, the device is the one holding the registration's token, if any. */
const bindByToken = statement<BindParams & { token: string }, { id: string }>(
  "devices.bind_by_token",
  (p, d) => sql`${binding(
    p,
    d,
    sql`coalesce((select device_id from device_tokens where app_id = ${p.appId} and token = ${p.token}),
      cast(${p.newDeviceId} as text))`,
    sql`null`,
  )}
    on conflict (id) ${lastWriteWins}`,
);

interface SlotParams {
  appId: string;
  deviceId: string;
  /** JSON of the registration's `TokenSlot`s. */
  slots: string;
}

/**
 * Empties the slots the registration fills and takes its tokens out of any other slot of the
 * device, keeping what is already in place.
 */
const clearOwnSlots = statement<Omit<SlotParams, "appId">>(
  "devices.clear_own_slots",
  (p, d) => sql`delete from device_tokens
    where device_id = ${p.deviceId}
      and exists (select 1 from ${d.jsonRows(p.slots, slotColumns)} as slot
        where slot.voip = device_tokens.voip or slot.token = device_tokens.token)
      and not exists (select 1 from ${d.jsonRows(p.slots, slotColumns)} as slot
        where slot.voip = device_tokens.voip and slot.token = device_tokens.token)`,
);

interface TakeParams {
  appId: string;
  deviceId: string;
  tokens: string[];
}

/** The other devices whose every token the registration takes: deleted, and their tokens with them. */
const deleteDevicesLosingAllTokens = statement<TakeParams>(
  "devices.delete_losing_all_tokens",
  (p, d) => sql`delete from devices
    where id in (select device_id from device_tokens
        where app_id = ${p.appId} and token in ${d.list(p.tokens)} and device_id <> ${p.deviceId})
      and not exists (select 1 from device_tokens kept
        where kept.device_id = devices.id and kept.token not in ${d.list(p.tokens)})`,
);

const takeTokensFromOtherDevices = statement<TakeParams>(
  "devices.take_tokens_from_others",
  (p, d) => sql`delete from device_tokens
    where app_id = ${p.appId} and token in ${d.list(p.tokens)} and device_id <> ${p.deviceId}`,
);

/**
 * Inserts each token in its slot, or refreshes it where it already is on this device; a
 * token on another device is left there, locked. Answers the tokens placed.
 */
const placeTokens = statement<SlotParams, { token: string }>(
  "devices.place_tokens",
  (p, d) => sql`insert into device_tokens (app_id, token, device_id, provider, platform, voip, push_keys)
    select cast(${p.appId} as text), slot.token, cast(${p.deviceId} as text), slot.provider, slot.platform, slot.voip,
      slot.push_keys
    from ${d.jsonRows(p.slots, slotColumns)} as slot where true
    order by slot.token
    on conflict (app_id, token) do update set provider = excluded.provider, platform = excluded.platform,
      push_keys = excluded.push_keys
      where device_tokens.device_id = excluded.device_id
    returning token`,
);

/**
 * PostgreSQL: the registrations that happen most — a new device, or a device registering again
 * as it is — in one statement instead of a transaction of four. Every token must land in its
 * slot of the bound device; if one does not (it is on another device or in the other slot, the
 * slot holds another token, the session has ended), the statement fails as a whole, by a slot's
 * unique index or by the failed cast below (of a value read at run time, which planning cannot fold), writes nothing, and the registration takes the
 * transaction. Sync-bound users are unbound, as the transaction does for a registration without any.
 */
const registerAtOnce = statement<
  BindParams & { clientDeviceId: string; slots: string; slotCount: number },
  { placed: number }
>(
  "devices.register_at_once",
  (p, d) => sql`with bound as (
      ${binding(p, d, sql`cast(${p.newDeviceId} as text)`, sql`cast(${p.clientDeviceId} as text)`)}
      on conflict (app_id, client_device_id) ${lastWriteWins}
    ), unbound as (
      delete from device_sync_users where device_id in (select id from bound)
    ), placed as (
      insert into device_tokens (app_id, token, device_id, provider, platform, voip, push_keys)
      select cast(${p.appId} as text), slot.token, bound.id, slot.provider, slot.platform, slot.voip, slot.push_keys
      from bound cross join ${d.jsonRows(p.slots, slotColumns)} as slot
      on conflict (app_id, token) do update set provider = excluded.provider, platform = excluded.platform,
        push_keys = excluded.push_keys
        where device_tokens.device_id = excluded.device_id and device_tokens.voip = excluded.voip
      returning token
    )
    select case when placed.count = ${p.slotCount} then 1
      else cast(concat('registration needs the transaction, tokens placed: ', placed.count) as integer) end as placed
    from (select count(*) as count from placed) as placed`,
);

const unbindSyncUsersBut = statement<{ deviceId: string; userIds: string[] }>(
  "devices.unbind_sync_users_but",
  (p, d) => sql`delete from device_sync_users
    where device_id = ${p.deviceId} and user_id not in ${d.list(p.userIds)}`,
);

/** Only users whose vouching session still exists: a sign-out meanwhile binds nobody. */
const bindSyncUsers = statement<{ deviceId: string; appId: string; users: string }>(
  "devices.bind_sync_users",
  (p, d) => sql`insert into device_sync_users (device_id, app_id, user_id, session_id)
    select cast(${p.deviceId} as text), cast(${p.appId} as text), sync_user.user_id, sessions.id
    from ${d.jsonRows(p.users, { user_id: "text", session_id: "text" })} as sync_user
    join sessions on sessions.id = sync_user.session_id
    where true
    on conflict (device_id, user_id) do update set session_id = excluded.session_id`,
);

/** Also part of a sign-out (`sessions.ts`). */
export const deleteSessionSyncBindings = statement<{ sessionId: string }>(
  "devices.delete_session_sync_bindings",
  (p) => sql`delete from device_sync_users where session_id = ${p.sessionId}`,
);

/** A token as a removal names it; a null provider or user matches any. */
interface TokenMatch {
  appId: string;
  token: string;
  provider: TokenProvider | null;
  /** Only a token on a device this user owns. */
  userId: string | null;
}

function tokenMatches(p: Placeholders<TokenMatch>, row: SQL): SQL {
  return sql`${row}.app_id = ${p.appId} and ${row}.token = ${p.token}
    and (cast(${p.provider} as text) is null or ${row}.provider = ${p.provider})`;
}

/** The device of the matched token when the token is its last one: deleted, the token with it. */
const deleteDeviceOfLastToken = statement<TokenMatch>(
  "devices.delete_device_of_last_token",
  (p) => sql`delete from devices
    where id = (select device_id from device_tokens matched where ${tokenMatches(p, sql`matched`)})
      and (cast(${p.userId} as text) is null or user_id = ${p.userId})
      and not exists (select 1 from device_tokens kept
        where kept.device_id = devices.id and kept.token <> ${p.token})`,
);

const deleteMatchedToken = statement<TokenMatch>(
  "devices.delete_matched_token",
  (p) => sql`delete from device_tokens
    where ${tokenMatches(p, sql`device_tokens`)}
      and (cast(${p.userId} as text) is null or exists (select 1 from devices
        where devices.id = device_tokens.device_id and devices.user_id = ${p.userId}))`,
);

/**
 * Removes the matched token, and its device with it when it was the device's last one;
 * false when no token matched. Must run in a serializable transaction (see the top of this file).
 */
export async function removeMatchedToken(tx: SqlDatabase, match: TokenMatch): Promise<boolean> {
  if ((await tx.run(deleteDeviceOfLastToken, match)) > 0) return true;
  return (await tx.run(deleteMatchedToken, match)) > 0;
}

/** Also part of a sign-out (`sessions.ts`). */
export const deleteSessionDevices = statement<{ sessionId: string }>(
  "devices.delete_of_session",
  (p) => sql`delete from devices where session_id = ${p.sessionId}`,
);

const deleteUserDevices = statement<{ appId: string; userId: string }>(
  "devices.delete_of_user",
  (p) => sql`delete from devices where app_id = ${p.appId} and user_id = ${p.userId}`,
);

const unbindUserEverywhere = statement<{ appId: string; userId: string }>(
  "devices.unbind_sync_user_everywhere",
  (p) => sql`delete from device_sync_users where app_id = ${p.appId} and user_id = ${p.userId}`,
);

interface ClientDeviceIdTarget {
  appId: string;
  clientDeviceId: string;
}

interface TokenTarget {
  appId: string;
  token: string;
  provider: TokenProvider;
}

/** What a server-side unregistration does to the device it names, found one way or the other. */
function targetStatements<Target extends object>(by: string, deviceOf: (p: Placeholders<Target>) => SQL) {
  return {
    /** Deletes the device; with a user, only when that user owns it. */
    deleteDevice: statement<Target & { userId: string | null }>(
      `devices.delete_by_${by}`,
      (p) => sql`delete from devices
        where id = ${deviceOf(p)} and (cast(${p.userId} as text) is null or user_id = ${p.userId})`,
    ),
    unbindSyncUser: statement<Target & { userId: string }>(
      `devices.unbind_sync_user_by_${by}`,
      (p) => sql`delete from device_sync_users where user_id = ${p.userId} and device_id = ${deviceOf(p)}`,
    ),
  };
}

const byClientDeviceId = targetStatements<ClientDeviceIdTarget>(
  "client_device_id",
  (p) => sql`(select id from devices where app_id = ${p.appId} and client_device_id = ${p.clientDeviceId})`,
);

const byToken = targetStatements<TokenTarget>(
  "token",
  (p) => sql`(select device_id from device_tokens
    where app_id = ${p.appId} and token = ${p.token} and provider = ${p.provider})`,
);

type TargetStatements<Target extends object> = ReturnType<typeof targetStatements<Target>>;

/** Removes the device, or with a user who does not own it, that user's sync binding to it. */
async function unregisterTarget<Target extends object>(
  tx: SqlDatabase,
  statements: TargetStatements<Target>,
  target: Target,
  userId: string | null,
): Promise<boolean> {
  if ((await tx.run(statements.deleteDevice, { ...target, userId })) > 0) return true;
  return userId !== null && (await tx.run(statements.unbindSyncUser, { ...target, userId })) > 0;
}

/** Rolls back a registration's read committed attempt: one of its tokens is on another device. */
class TokenOnAnotherDevice extends Error {}

interface RegistrationRequest {
  owner: DeviceOwner;
  registration: DeviceRegistration;
  /** The sync-bound users but the owner, each once. */
  syncUsers: SyncUser[];
  now: Date;
}

/**
 * Binds the device and fills its slots. Without `takeFromOtherDevices`, throws
 * `TokenOnAnotherDevice` (rolling back) rather than touch another device.
 */
async function registerIn(
  tx: SqlDatabase,
  { owner, registration, syncUsers, now }: RegistrationRequest,
  takeFromOtherDevices: boolean,
): Promise<boolean> {
  const newDeviceId = newId("dev");
  const bindParams = {
    newDeviceId,
    ...owner,
    locale: registration.locale,
    variant: registration.variant,
    now,
  };
  const bound =
    registration.deviceId === null
      ? await tx.get(bindByToken, { ...bindParams, token: registration.token.token })
      : await tx.get(bindByClientDeviceId, { ...bindParams, clientDeviceId: registration.deviceId });
  if (!bound) return false;
  const deviceId = bound.id;
  // A device created just now has no tokens or sync bindings to replace.
  const isNew = deviceId === newDeviceId;
  const slots = slotsOf(registration);
  const slotsJson = JSON.stringify(slots);
  if (takeFromOtherDevices) {
    const taken = { appId: owner.appId, deviceId, tokens: slots.map((slot) => slot.token) };
    await tx.run(deleteDevicesLosingAllTokens, taken);
    await tx.run(takeTokensFromOtherDevices, taken);
  }
  if (!isNew) await tx.run(clearOwnSlots, { deviceId, slots: slotsJson });
  const placed = await tx.all(placeTokens, { appId: owner.appId, deviceId, slots: slotsJson });
  if (placed.length < slots.length) throw new TokenOnAnotherDevice();
  if (!isNew) await tx.run(unbindSyncUsersBut, { deviceId, userIds: syncUsers.map((user) => user.userId) });
  if (syncUsers.length > 0) {
    const users = JSON.stringify(
      syncUsers.map((user) => ({ user_id: user.userId, session_id: user.sessionId })),
    );
    await tx.run(bindSyncUsers, { deviceId, appId: owner.appId, users });
  }
  return true;
}

export class SqlDeviceRepository implements DeviceRepository {
  constructor(private readonly db: SqlDatabase) {}

  async register(
    owner: DeviceOwner,
    registration: DeviceRegistration,
    syncUsers: SyncUser[],
    now: Date,
  ): Promise<boolean> {
    // One binding a user: the last session named vouches for it.
    const byUser = new Map(syncUsers.map((user) => [user.userId, user]));
    byUser.delete(owner.userId);
    const request: RegistrationRequest = { owner, registration, syncUsers: [...byUser.values()], now };
    if (await this.registerAtOnce(request)) return true;
    try {
      return await this.db.transaction((tx) => registerIn(tx, request, false));
    } catch {
      // Whatever stopped the read committed attempt (a token on another device, a deadlock with
      // a concurrent writer, the session ending meanwhile), the serializable one decides: the
      // adapter runs it again after a conflict, and an error of another kind comes back from it.
    }
    return this.db.transaction((tx) => registerIn(tx, request, true), { serializable: true });
  }

  /** True when the one-statement registration did it all; false when it wrote nothing. */
  private async registerAtOnce({
    owner,
    registration,
    syncUsers,
    now,
  }: RegistrationRequest): Promise<boolean> {
    if (this.db.dialect !== "postgres" || registration.deviceId === null || syncUsers.length > 0)
      return false;
    const slots = slotsOf(registration);
    try {
      await this.db.get(registerAtOnce, {
        newDeviceId: newId("dev"),
        ...owner,
        locale: registration.locale,
        variant: registration.variant,
        now,
        clientDeviceId: registration.deviceId,
        slots: JSON.stringify(slots),
        slotCount: slots.length,
      });
      return true;
    } catch {
      return false;
    }
  }

  async removeUserToken(appId: string, userId: string, token: PushToken): Promise<void> {
    const target = { appId, token: token.token, provider: token.provider };
    await this.db.transaction(
      async (tx) => {
        if (!(await removeMatchedToken(tx, { ...target, userId }))) {
          await tx.run(byToken.unbindSyncUser, { ...target, userId });
        }
      },
      { serializable: true },
    );
  }

  async removeSessionDevices(sessionId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(deleteSessionDevices, { sessionId });
      await tx.run(deleteSessionSyncBindings, { sessionId });
    });
  }

  async removeUserDevices(appId: string, userId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(deleteUserDevices, { appId, userId });
      await tx.run(unbindUserEverywhere, { appId, userId });
    });
  }

  /**
   * Serializable: the device is looked up (by client device id or by token), then deleted or
   * unbound; read committed could act on a lookup that a concurrent registration made stale.
   */
  async unregister(appId: string, target: DeviceTarget, userId: string | null): Promise<boolean> {
    return this.db.transaction(
      (tx) =>
        "deviceId" in target
          ? unregisterTarget(tx, byClientDeviceId, { appId, clientDeviceId: target.deviceId }, userId)
          : unregisterTarget(tx, byToken, { appId, token: target.token, provider: target.provider }, userId),
      { serializable: true },
    );
  }
}
