import { mkdirSync } from "node:fs";
import path from "node:path";
import type { SecretBox } from "../security/secret-box.js";
import { PostgresStore } from "./postgres/postgres-store.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { Store } from "./store.js";

export class UnsupportedDatabaseError extends Error {
  override name = "UnsupportedDatabaseError";
}

export function sqlitePathOf(databaseUrl: string): string | null {
  return databaseUrl.startsWith("sqlite:") ? databaseUrl.slice("sqlite:".length) : null;
}

function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl);
}

/**
 * Opens the store named by `DATABASE_URL` and brings its schema up to date. `poolSize`
 * bounds PostgreSQL connections (`DATABASE_POOL_SIZE`); SQLite has one.
 */
export async function openStore(
  databaseUrl: string,
  secretBox: SecretBox,
  poolSize?: number,
): Promise<Store> {
  const sqlitePath = sqlitePathOf(databaseUrl);
  if (sqlitePath !== null) {
    if (sqlitePath !== ":memory:") mkdirSync(path.dirname(path.resolve(sqlitePath)), { recursive: true });
    return SqliteStore.open(sqlitePath, secretBox);
  }
  if (isPostgresUrl(databaseUrl)) return PostgresStore.open(databaseUrl, secretBox, poolSize);
  throw new UnsupportedDatabaseError("DATABASE_URL: use sqlite:<path> or postgres://…");
}
