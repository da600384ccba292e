import { mkdirSync } from "node:fs";
import path from "node:path";
import { migratePostgresDatabase, migrateSqliteDatabase } from "./migrate.js";
import type { SqlDatabase } from "./sql/database.js";
import { PostgresDatabase } from "./sql/postgres-database.js";
import { SqliteDatabase } from "./sql/sqlite-database.js";

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
 * Opens the database `DATABASE_URL` names and brings its schema up to date. `poolSize`
 * bounds PostgreSQL connections (`DATABASE_POOL_SIZE`); SQLite has one.
 */
export async function openDatabase(databaseUrl: string, poolSize?: number): Promise<SqlDatabase> {
  const sqlitePath = sqlitePathOf(databaseUrl);
  if (sqlitePath !== null) {
    if (sqlitePath !== ":memory:") mkdirSync(path.dirname(path.resolve(sqlitePath)), { recursive: true });
    const database = SqliteDatabase.open(sqlitePath);
    migrateSqliteDatabase(database);
    return database;
  }
  if (isPostgresUrl(databaseUrl)) {
    await migratePostgresDatabase(databaseUrl);
    return PostgresDatabase.open(databaseUrl, poolSize);
  }
  throw new UnsupportedDatabaseError("DATABASE_URL: use sqlite:<path> or postgres://…");
}
