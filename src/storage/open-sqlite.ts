import { mkdirSync } from "node:fs";
import path from "node:path";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { migrationsFolder } from "./migrations-folder.js";
import { SqliteDatabase } from "./sql/sqlite-database.js";

/** The SQLite file at `file` (made with its folder if missing), its schema brought up to date. */
export function openSqliteDatabase(file: string): SqliteDatabase {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = SqliteDatabase.open(file);
  migrate(drizzle(database.connection), { migrationsFolder: migrationsFolder("sqlite") });
  return database;
}
