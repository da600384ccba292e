import { mkdirSync } from "node:fs";
import path from "node:path";
import type { SecretBox } from "../security/secret-box.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { Store } from "./store.js";

export class UnsupportedDatabaseError extends Error {
  override name = "UnsupportedDatabaseError";
}

export function sqlitePathOf(databaseUrl: string): string | null {
  return databaseUrl.startsWith("sqlite:") ? databaseUrl.slice("sqlite:".length) : null;
}

/** Opens the store named by `DATABASE_URL` and brings its schema up to date. */
export async function openStore(databaseUrl: string, secretBox: SecretBox): Promise<Store> {
  const sqlitePath = sqlitePathOf(databaseUrl);
  if (sqlitePath !== null) {
    if (sqlitePath !== ":memory:") mkdirSync(path.dirname(path.resolve(sqlitePath)), { recursive: true });
    return SqliteStore.open(sqlitePath, secretBox);
  }
  throw new UnsupportedDatabaseError(
    "DATABASE_URL: PostgreSQL is not supported by this version yet; use sqlite:<path>",
  );
}
