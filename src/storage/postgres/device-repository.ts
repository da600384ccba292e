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
import { removeDevicesWithoutTokens } from "./device-cleanup.js";
import type { PostgresDb, PostgresTx } from "./postgres-store.js";
import { deviceSyncUsers, devices, deviceTokens, sessions } from "./schema/index.js";
import { serializable } from "./serializable.js";

/**
 * Every write of several statements is serializable, so concurrent registrations of one
 * device or token (several processes included) apply one after the other.
 */
export class PostgresDeviceRepository implements DeviceRepository {
  constructor(private readonly db: PostgresDb) {}

  async register(
    owner: DeviceOwner,
    registration: DeviceRegistration,
    syncUserIds: string[],
    now: Date,
  ): Promise<boolean> {
    return serializable(this.db, async (tx) => {
      const [session] = await tx
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.id, owner.sessionId), gt(sessions.expiresAt, now)));
      if (!session) return false;
      const deviceId = await this.bindDevice(tx, owner, registration, now);
      await this.attachTokens(tx, owner.appId, deviceId, slotsOf(registration));
      await tx.delete(deviceSyncUsers).where(eq(deviceSyncUsers.deviceId, deviceId));
      const others = syncUserIds.filter((userId) => userId !== owner.userId);
      if (others.length > 0) {
        await tx
          .insert(deviceSyncUsers)
          .values(others.map((userId) => ({ deviceId, appId: owner.appId, userId })))
          .onConflictDoNothing();
      }
      return true;
    });
  }

  async removeUserToken(appId: string, userId: string, token: PushToken): Promise<void> {
    await serializable(this.db, async (tx) => {
      const [holder] = await tx
        .select({ deviceId: deviceTokens.deviceId, ownerId: devices.userId })
        .from(deviceTokens)
        .innerJoin(devices, eq(devices.id, deviceTokens.deviceId))
        .where(
          and(
            eq(deviceTokens.appId, appId),
            eq(deviceTokens.token, token.token),
            eq(deviceTokens.provider, token.provider),
          ),
        );
      if (!holder) return;
      if (holder.ownerId === userId) {
        await tx
          .delete(deviceTokens)
          .where(and(eq(deviceTokens.appId, appId), eq(deviceTokens.token, token.token)));
        await removeDevicesWithoutTokens(tx, [holder.deviceId]);
      } else {
        await tx
          .delete(deviceSyncUsers)
          .where(and(eq(deviceSyncUsers.deviceId, holder.deviceId), eq(deviceSyncUsers.userId, userId)));
      }
    });
  }

  async removeSessionDevices(sessionId: string): Promise<void> {
    await this.db.delete(devices).where(eq(devices.sessionId, sessionId));
  }

  async removeUserDevices(appId: string, userId: string): Promise<void> {
    await serializable(this.db, async (tx) => {
      await tx.delete(devices).where(and(eq(devices.appId, appId), eq(devices.userId, userId)));
      await tx
        .delete(deviceSyncUsers)
        .where(and(eq(deviceSyncUsers.appId, appId), eq(deviceSyncUsers.userId, userId)));
    });
  }

  async unregister(appId: string, target: DeviceTarget, userId: string | null): Promise<boolean> {
    return serializable(this.db, async (tx) => {
      const device = await this.findTarget(tx, appId, target);
      if (!device) return false;
      if (userId === null || device.ownerId === userId) {
        await tx.delete(devices).where(eq(devices.id, device.id));
        return true;
      }
      const unbound = await tx
        .delete(deviceSyncUsers)
        .where(and(eq(deviceSyncUsers.deviceId, device.id), eq(deviceSyncUsers.userId, userId)))
        .returning({ userId: deviceSyncUsers.userId });
      return unbound.length > 0;
    });
  }

  /** The registration's device, rebound to the owner, or a new one. */
  private async bindDevice(
    tx: PostgresTx,
    owner: DeviceOwner,
    registration: DeviceRegistration,
    now: Date,
  ): Promise<string> {
    const [existing] =
      registration.deviceId === null
        ? await tx
            .select({ id: deviceTokens.deviceId })
            .from(deviceTokens)
            .where(and(eq(deviceTokens.appId, owner.appId), eq(deviceTokens.token, registration.token.token)))
        : await tx
            .select({ id: devices.id })
            .from(devices)
            .where(and(eq(devices.appId, owner.appId), eq(devices.clientDeviceId, registration.deviceId)));
    if (existing) {
      await tx
        .update(devices)
        .set({ userId: owner.userId, sessionId: owner.sessionId, updatedAt: now })
        .where(eq(devices.id, existing.id));
      return existing.id;
    }
    const id = newId("dev");
    await tx.insert(devices).values(newDeviceRow(id, owner, registration, now));
    return id;
  }

  /** Puts each token in its slot of the device, replacing the slot's previous token and moving it off other devices. */
  private async attachTokens(
    tx: PostgresTx,
    appId: string,
    deviceId: string,
    slots: TokenSlot[],
  ): Promise<void> {
    const previousHolders = await tx
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
      );
    for (const slot of slots) {
      await tx
        .delete(deviceTokens)
        .where(
          and(
            eq(deviceTokens.deviceId, deviceId),
            eq(deviceTokens.voip, slot.voip),
            ne(deviceTokens.token, slot.token),
          ),
        );
      const fields = { deviceId, provider: slot.provider, platform: slot.platform, voip: slot.voip };
      await tx
        .insert(deviceTokens)
        .values({ appId, token: slot.token, ...fields })
        .onConflictDoUpdate({ target: [deviceTokens.appId, deviceTokens.token], set: fields });
    }
    await removeDevicesWithoutTokens(
      tx,
      previousHolders.map((holder) => holder.id),
    );
  }

  private async findTarget(tx: PostgresTx, appId: string, target: DeviceTarget) {
    const columns = { id: devices.id, ownerId: devices.userId };
    const [device] =
      "deviceId" in target
        ? await tx
            .select(columns)
            .from(devices)
            .where(and(eq(devices.appId, appId), eq(devices.clientDeviceId, target.deviceId)))
        : await tx
            .select(columns)
            .from(deviceTokens)
            .innerJoin(devices, eq(devices.id, deviceTokens.deviceId))
            .where(
              and(
                eq(deviceTokens.appId, appId),
                eq(deviceTokens.token, target.token),
                eq(deviceTokens.provider, target.provider),
              ),
            );
    return device;
  }
}
