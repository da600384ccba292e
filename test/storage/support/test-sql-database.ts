import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase } from "../../../src/storage/open-store.js";
import type { SqlDatabase } from "../../../src/storage/sql/database.js";
import { testDatabase } from "../../support/test-database.js";

export interface TestSqlDatabase {
  db: SqlDatabase;
  close(): Promise<void>;
}

/**
 * A migrated database of its own for a repository suite: a fresh SQLite file, or a fresh
 * PostgreSQL database when `TEST_DATABASE_URL` names a server — so one suite, run once per
 * store, is the conformance suite of both.
 */
export async function openTestSqlDatabase(): Promise<TestSqlDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "pushgate-storage-"));
  const database = testDatabase(dataDir);
  await database.create();
  const db = await openDatabase(database.url, { poolSize: 4 });
  return {
    db,
    async close() {
      await db.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
