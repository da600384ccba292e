import type { SecretBox } from "../security/secret-box.js";
import type { SqlDatabase } from "./sql/database.js";
import { ObservedDatabase, type StatementObserver } from "./sql/observed-database.js";
import type { PostgresOptions } from "./sql/postgres-database.js";
import { SqlStore } from "./sql-store.js";
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
 * Opens the database `DATABASE_URL` names and brings its schema up to date. The options
 * apply to PostgreSQL (`DATABASE_POOL_SIZE`, `POSTGRES_SYNCHRONOUS_COMMIT`); SQLite has one
 * connection, in WAL mode. Only the driver of the database named is loaded: a process on
 * SQLite never holds pg's modules in its memory, nor one on PostgreSQL better-sqlite3's.
 */
export async function openDatabase(databaseUrl: string, options: PostgresOptions = {}): Promise<SqlDatabase> {
  const sqlitePath = sqlitePathOf(databaseUrl);
  if (sqlitePath !== null) {
    const { openSqliteDatabase } = await import("./open-sqlite.js");
    return openSqliteDatabase(sqlitePath);
  }
  if (isPostgresUrl(databaseUrl)) {
    const { openPostgresDatabase } = await import("./open-postgres.js");
    return openPostgresDatabase(databaseUrl, options);
  }
  throw new UnsupportedDatabaseError("DATABASE_URL: use sqlite:<path> or postgres://…");
}

/** The store of `DATABASE_URL`: its repositories over the database, its schema up to date. */
export async function openStore(
  databaseUrl: string,
  secretBox: SecretBox,
  options: PostgresOptions = {},
  observer?: StatementObserver,
): Promise<Store> {
  const database = await openDatabase(databaseUrl, options);
  return new SqlStore(observer ? new ObservedDatabase(database, observer) : database, secretBox);
}
