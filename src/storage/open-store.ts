import { mkdirSync } from "node:fs";
import path from "node:path";
import type { SecretBox } from "../security/secret-box.js";
import { migratePostgresDatabase, migrateSqliteDatabase } from "./migrate.js";
import type { SqlDatabase } from "./sql/database.js";
import { ObservedDatabase, type StatementObserver } from "./sql/observed-database.js";
import { PostgresDatabase, type PostgresOptions } from "./sql/postgres-database.js";
import { SqliteDatabase } from "./sql/sqlite-database.js";
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
 * connection, in WAL mode.
 */
export async function openDatabase(databaseUrl: string, options: PostgresOptions = {}): Promise<SqlDatabase> {
  const sqlitePath = sqlitePathOf(databaseUrl);
  if (sqlitePath !== null) {
    if (sqlitePath !== ":memory:") mkdirSync(path.dirname(path.resolve(sqlitePath)), { recursive: true });
    const database = SqliteDatabase.open(sqlitePath);
    migrateSqliteDatabase(database);
    return database;
  }
  if (isPostgresUrl(databaseUrl)) {
    await migratePostgresDatabase(databaseUrl);
    return PostgresDatabase.open(databaseUrl, options);
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
