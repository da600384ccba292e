import type Database from "better-sqlite3";
import { and, eq, inArray, notExists, sql } from "drizzle-orm";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type * as schema from "./schema/index.js";
import { devices, deviceTokens } from "./schema/index.js";

/** The database or a transaction on it. */
export type SqliteExecutor = BaseSQLiteDatabase<"sync", Database.RunResult, typeof schema>;

/** A device is its tokens: one that lost its last token is gone. */
export function removeDevicesWithoutTokens(executor: SqliteExecutor, deviceIds: string[]): void {
  if (deviceIds.length === 0) return;
  executor
    .delete(devices)
    .where(
      and(
        inArray(devices.id, deviceIds),
        notExists(
          executor.select({ one: sql`1` }).from(deviceTokens).where(eq(deviceTokens.deviceId, devices.id)),
        ),
      ),
    )
    .run();
}
