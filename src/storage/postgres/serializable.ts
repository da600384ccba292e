import { setTimeout as sleep } from "node:timers/promises";
import { DrizzleQueryError } from "drizzle-orm/errors";
import type { PostgresDb, PostgresTx } from "./postgres-store.js";

/** serialization_failure and deadlock_detected: the transaction lost a race and may simply run again. */
const conflictCodes = new Set(["40001", "40P01"]);
const maxAttempts = 50;

function isConflict(error: unknown): boolean {
  const cause = error instanceof DrizzleQueryError ? error.cause : error;
  const code = (cause as { code?: string } | undefined)?.code;
  return code !== undefined && conflictCodes.has(code);
}

/**
 * Runs `work` in a SERIALIZABLE transaction, from the start again whenever PostgreSQL
 * aborts it for a conflict: concurrent writers (several processes included) then apply
 * as if one after the other, as with SQLite's single writer.
 */
export async function serializable<T>(db: PostgresDb, work: (tx: PostgresTx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work, { isolationLevel: "serializable" });
    } catch (error) {
      if (attempt >= maxAttempts || !isConflict(error)) throw error;
      // Jittered, so the transactions that collided do not collide again in step.
      await sleep(Math.random() * Math.min(2 ** attempt, 100));
    }
  }
}
