import { and, eq, notExists, sql } from "drizzle-orm";
import { isAnyOf } from "./any-of.js";
import type { PostgresTx } from "./postgres-store.js";
import { devices, deviceTokens } from "./schema/index.js";

/** A device is its tokens: one that lost its last token is gone. */
export async function removeDevicesWithoutTokens(tx: PostgresTx, deviceIds: string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  await tx
    .delete(devices)
    .where(
      and(
        isAnyOf(devices.id, deviceIds),
        notExists(tx.select({ one: sql`1` }).from(deviceTokens).where(eq(deviceTokens.deviceId, devices.id))),
      ),
    );
}
