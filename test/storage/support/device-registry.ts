import { expect } from "chai";
import { sql } from "drizzle-orm";
import type { DeviceOwner, DeviceRegistration } from "../../../src/domain/devices/device.js";
import type { SyncUser } from "../../../src/domain/devices/device-repository.js";
import { SqlSessionRepository } from "../../../src/storage/repositories/sessions.js";
import type { SqlDatabase } from "../../../src/storage/sql/database.js";
import { statement } from "../../../src/storage/sql/statement.js";
import { readBoolean, readTime } from "../../../src/storage/sql/values.js";

export function androidPhone(
  token: string,
  deviceId: string | null = null,
  locale: string | null = null,
): DeviceRegistration {
  return {
    deviceId,
    platform: "android",
    token: { provider: "gcm", token },
    voip: null,
    locale,
    variant: null,
  };
}

/** An iPhone's APNs token, with its PushKit (VoIP) token when `voip` is given. */
export function iPhone(
  token: string,
  voip: string | null = null,
  deviceId: string | null = null,
  locale: string | null = null,
): DeviceRegistration {
  return {
    deviceId,
    platform: "ios",
    token: { provider: "apns", token },
    voip: voip === null ? null : { provider: "apns_voip", token: voip },
    locale,
    variant: null,
  };
}

let sessionCount = 0;

/** A new session of the user, for a day unless told otherwise: the owner a registration names. */
export async function signIn(
  db: SqlDatabase,
  appId: string,
  userId: string,
  { at = new Date(), expiresAt = new Date(at.getTime() + 86_400_000) } = {},
): Promise<DeviceOwner> {
  const id = `ses_registry_${++sessionCount}`;
  await new SqlSessionRepository(db).create(
    { id, appId, userId, deviceId: null, createdAt: at, expiresAt },
    `sess_registry_${sessionCount}`,
  );
  return { appId, userId, sessionId: id };
}

/** Each user signed in, as the sync users a registration binds: their sessions vouch for them. */
export function syncUsersSignedIn(db: SqlDatabase, appId: string, userIds: string[]): Promise<SyncUser[]> {
  return Promise.all(userIds.map((userId) => signIn(db, appId, userId)));
}

interface DeviceRow {
  id: string;
  client_device_id: string | null;
  user_id: string;
  session_id: string | null;
  locale: string | null;
  created_at: unknown;
  updated_at: unknown;
}

interface TokenRow {
  token: string;
  device_id: string;
  provider: string;
  platform: string;
  voip: unknown;
}

interface SyncUserRow {
  device_id: string;
  user_id: string;
}

const devicesOfApp = statement<{ appId: string }, DeviceRow>(
  "test.registry.devices",
  (p) => sql`select id, client_device_id, user_id, session_id, locale, created_at, updated_at
    from devices where app_id = ${p.appId} order by id`,
);

const tokensOfApp = statement<{ appId: string }, TokenRow>(
  "test.registry.tokens",
  (p) => sql`select token, device_id, provider, platform, voip
    from device_tokens where app_id = ${p.appId} order by token`,
);

const syncUsersOfApp = statement<{ appId: string }, SyncUserRow>(
  "test.registry.sync_users",
  (p) => sql`select device_id, user_id from device_sync_users where app_id = ${p.appId}
    order by device_id, user_id`,
);

/** Every registry row of the app, as plain values, in a stable order. */
export async function registryOf(db: SqlDatabase, appId: string) {
  const [devices, tokens, syncUsers] = await Promise.all([
    db.all(devicesOfApp, { appId }),
    db.all(tokensOfApp, { appId }),
    db.all(syncUsersOfApp, { appId }),
  ]);
  return {
    devices: devices.map((row) => ({
      id: row.id,
      clientDeviceId: row.client_device_id,
      userId: row.user_id,
      sessionId: row.session_id,
      locale: row.locale,
      createdAt: readTime(row.created_at),
      updatedAt: readTime(row.updated_at),
    })),
    tokens: tokens.map((row) => ({
      token: row.token,
      deviceId: row.device_id,
      provider: row.provider,
      platform: row.platform,
      voip: readBoolean(row.voip),
    })),
    syncUsers: syncUsers.map((row) => ({ deviceId: row.device_id, userId: row.user_id })),
  };
}

/**
 * The rules no sequence of writes may break: a device is its tokens (none without one), at most
 * one per slot, and its owner is not also one of its sync-bound users.
 */
export async function expectRegistryRules(db: SqlDatabase, appId: string): Promise<void> {
  const { devices, tokens, syncUsers } = await registryOf(db, appId);
  for (const device of devices) {
    const held = tokens.filter((token) => token.deviceId === device.id);
    expect(held, `tokens of ${device.id}`).to.not.be.empty;
    expect(
      held.filter((token) => token.voip),
      `VoIP slot of ${device.id}`,
    ).to.have.length.at.most(1);
    expect(
      held.filter((token) => !token.voip),
      `regular slot of ${device.id}`,
    ).to.have.length.at.most(1);
    const bound = syncUsers
      .filter((binding) => binding.deviceId === device.id)
      .map((binding) => binding.userId);
    expect(bound, `sync-bound users of ${device.id}`).to.not.include(device.userId);
  }
}
