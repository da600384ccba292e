import { and, eq, gt, inArray, ne } from "drizzle-orm";
import type {
  DeviceOwner,
  DeviceRegistration,
  DeviceTarget,
  PushToken,
} from "../../domain/devices/device.js";
import type { DeviceRepository } from "../../domain/devices/device-repository.js";
import { newId } from "../../security/credentials.js";
import { newDeviceRow, slotsOf, type TokenSlot } from "../mapping/devices.js";
import { removeDevicesWithoutTokens, type SqliteExecutor } from "./device-cleanup.js";
import { deviceSyncUsers, devices, deviceTokens, sessions } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

/**
 * Every write runs in one IMMEDIATE transaction, so concurrent registrations of one device
 * or token (several processes included) apply one after the other.
 */
export class SqliteDeviceRepository implements DeviceRepository {
  constructor(private readonly db: SqliteDb) {}

  async register(
    owner: DeviceOwner,
    registration: DeviceRegistration,
    syncUserIds: string[],
    now: Date,
  ): Promise<boolean> {
    return this.db.transaction(
      (tx) => {
        const session = tx
          .select({ id: sessions.id })
          .from(sessions)
          .where(and(eq(sessions.id, owner.sessionId), gt(sessions.expiresAt, now)))
          .get();
        if (!session) return false;
        const deviceId = this.bindDevice(tx, owner, registration, now);
        this.attachTokens(tx, owner.appId, deviceId, slotsOf(registration));
        tx.delete(deviceSyncUsers).where(eq(deviceSyncUsers.deviceId, deviceId)).run();
        const others = syncUserIds.filter((userId) => userId !== owner.userId);
        if (others.length > 0) {
          tx.insert(deviceSyncUsers)
            .values(others.map((userId) => ({ deviceId, appId: owner.appId, userId })))
            .onConflictDoNothing()
            .run();
        }
        return true;
      },
      { behavior: "immediate" },
    );
  }

  async removeUserToken(appId: string, userId: string, token: PushToken): Promise<void> {
    this.db.transaction(
      (tx) => {
        const holder = tx
          .select({ deviceId: deviceTokens.deviceId, ownerId: devices.userId })
          .from(deviceTokens)
          .innerJoin(devices, eq(devices.id, deviceTokens.deviceId))
          .where(
            and(
              eq(deviceTokens.appId, appId),
              eq(deviceTokens.token, token.token),
              eq(deviceTokens.provider, token.provider),
            ),
          )
          .get();
        if (!holder) return;
        if (holder.ownerId === userId) {
          tx.delete(deviceTokens)
            .where(and(eq(deviceTokens.appId, appId), eq(deviceTokens.token, token.token)))
            .run();
          removeDevicesWithoutTokens(tx, [holder.deviceId]);
        } else {
          tx.delete(deviceSyncUsers)
            .where(and(eq(deviceSyncUsers.deviceId, holder.deviceId), eq(deviceSyncUsers.userId, userId)))
            .run();
        }
      },
      { behavior: "immediate" },
    );
  }

  async removeSessionDevices(sessionId: string): Promise<void> {
    this.db.delete(devices).where(eq(devices.sessionId, sessionId)).run();
  }

  async removeUserDevices(appId: string, userId: string): Promise<void> {
    this.db.transaction(
      (tx) => {
        tx.delete(devices)
          .where(and(eq(devices.appId, appId), eq(devices.userId, userId)))
          .run();
        tx.delete(deviceSyncUsers)
          .where(and(eq(deviceSyncUsers.appId, appId), eq(deviceSyncUsers.userId, userId)))
          .run();
      },
      { behavior: "immediate" },
    );
  }

  async unregister(appId: string, target: DeviceTarget, userId: string | null): Promise<boolean> {
    return this.db.transaction(
      (tx) => {
        const device = this.findTarget(tx, appId, target);
        if (!device) return false;
        if (userId === null || device.ownerId === userId) {
          tx.delete(devices).where(eq(devices.id, device.id)).run();
          return true;
        }
        const unbound = tx
          .delete(deviceSyncUsers)
          .where(and(eq(deviceSyncUsers.deviceId, device.id), eq(deviceSyncUsers.userId, userId)))
          .run();
        return unbound.changes > 0;
      },
      { behavior: "immediate" },
    );
  }

  /** The registration's device, rebound to the owner, or a new one. */
  private bindDevice(
    tx: SqliteExecutor,
    owner: DeviceOwner,
    registration: DeviceRegistration,
    now: Date,
  ): string {
    const existing =
      registration.deviceId === null
        ? tx
            .select({ id: deviceTokens.deviceId })
            .from(deviceTokens)
            .where(and(eq(deviceTokens.appId, owner.appId), eq(deviceTokens.token, registration.token.token)))
            .get()
        : tx
            .select({ id: devices.id })
            .from(devices)
            .where(and(eq(devices.appId, owner.appId), eq(devices.clientDeviceId, registration.deviceId)))
            .get();
    if (existing) {
      tx.update(devices)
        .set({ userId: owner.userId, sessionId: owner.sessionId, updatedAt: now })
        .where(eq(devices.id, existing.id))
        .run();
      return existing.id;
    }
    const id = newId("dev");
    tx.insert(devices)
      .values(newDeviceRow(id, owner, registration, now))
      .run();
    return id;
  }

  /** Puts each token in its slot of the device, replacing the slot's previous token and moving it off other devices. */
  private attachTokens(tx: SqliteExecutor, appId: string, deviceId: string, slots: TokenSlot[]): void {
    const previousHolders = tx
      .selectDistinct({ id: deviceTokens.deviceId })
      .from(deviceTokens)
      .where(
        and(
          eq(deviceTokens.appId, appId),
          inArray(
            deviceTokens.token,
            slots.map((slot) => slot.token),
          ),
          ne(deviceTokens.deviceId, deviceId),
        ),
      )
      .all();
    for (const slot of slots) {
      tx.delete(deviceTokens)
        .where(
          and(
            eq(deviceTokens.deviceId, deviceId),
            eq(deviceTokens.voip, slot.voip),
            ne(deviceTokens.token, slot.token),
          ),
        )
        .run();
      const fields = { deviceId, provider: slot.provider, platform: slot.platform, voip: slot.voip };
      tx.insert(deviceTokens)
        .values({ appId, token: slot.token, ...fields })
        .onConflictDoUpdate({ target: [deviceTokens.appId, deviceTokens.token], set: fields })
        .run();
    }
    removeDevicesWithoutTokens(
      tx,
      previousHolders.map((holder) => holder.id),
    );
  }

  private findTarget(tx: SqliteExecutor, appId: string, target: DeviceTarget) {
    const columns = { id: devices.id, ownerId: devices.userId };
    if ("deviceId" in target) {
      return tx
        .select(columns)
        .from(devices)
        .where(and(eq(devices.appId, appId), eq(devices.clientDeviceId, target.deviceId)))
        .get();
    }
    return tx
      .select(columns)
      .from(deviceTokens)
      .innerJoin(devices, eq(devices.id, deviceTokens.deviceId))
      .where(
        and(
          eq(deviceTokens.appId, appId),
          eq(deviceTokens.token, target.token),
          eq(deviceTokens.provider, target.provider),
        ),
      )
      .get();
  }
}
