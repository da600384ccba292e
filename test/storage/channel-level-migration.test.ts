import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { expect } from "chai";
import { drizzle as sqliteDrizzle } from "drizzle-orm/better-sqlite3";
import { migrate as sqliteMigrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as postgresDrizzle } from "drizzle-orm/node-postgres";
import { migrate as postgresMigrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { testDatabase } from "../support/test-database.js";

const migrationsRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../drizzle");
/** The migration that turned channel switches into levels, by its tag in each dialect's journal. */
const levelsTag = { sqlite: "0005_preferences", postgres: "0002_preferences" };

/** A copy of a dialect's migrations that stops before the one with `tag`. */
function migrationsBefore(dialect: "sqlite" | "postgres", into: string): string {
  const folder = path.join(into, dialect);
  cpSync(path.join(migrationsRoot, dialect), folder, { recursive: true });
  const journalFile = path.join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8"));
  const at = journal.entries.findIndex((entry: { tag: string }) => entry.tag === levelsTag[dialect]);
  expect(at, `${levelsTag[dialect]} in the journal`).to.be.greaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

const v1Rows = [
  ["u1", "channel", "c-off", false],
  ["u1", "channel", "c-on", true],
  ["u1", "user", "", false],
] as const;

describe("migration of v1 channel switches to levels", () => {
  let workDir: string;
  beforeEach(() => {
    workDir = mkdtempSync(path.join(tmpdir(), "pushgate-levels-"));
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  it("turns a channel switched off into level none and one switched on into all", async () => {
    const database = testDatabase(workDir);
    await database.create();
    try {
      const levels = database.url.startsWith("sqlite:")
        ? migrateSqlite(database.url.slice("sqlite:".length))
        : await migratePostgres(database.url);
      expect(await levels).to.deep.equal([
        { scope: "channel", scope_id: "c-off", level: "none" },
        { scope: "channel", scope_id: "c-on", level: "all" },
        { scope: "user", scope_id: "", level: null },
      ]);
    } finally {
      await database.drop();
    }
  });

  function migrateSqlite(file: string) {
    const connection = new Database(file);
    try {
      const db = sqliteDrizzle(connection);
      sqliteMigrate(db, { migrationsFolder: migrationsBefore("sqlite", workDir) });
      connection
        .prepare(
          "insert into apps (id, name, mode, push_enabled, require_auth_token, notification_ttl_seconds, api_key, created_at, updated_at) values ('app_1', 'A', 'direct', 1, 0, 60, 'pk', 0, 0)",
        )
        .run();
      const insert = connection.prepare(
        "insert into notification_settings (app_id, user_id, scope, scope_id, enabled) values ('app_1', ?, ?, ?, ?)",
      );
      for (const [user, scope, scopeId, enabled] of v1Rows) insert.run(user, scope, scopeId, enabled ? 1 : 0);
      sqliteMigrate(db, { migrationsFolder: path.join(migrationsRoot, "sqlite") });
      return connection
        .prepare("select scope, scope_id, level from notification_settings order by scope, scope_id")
        .all();
    } finally {
      connection.close();
    }
  }

  async function migratePostgres(url: string) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const db = postgresDrizzle({ client });
      await postgresMigrate(db, { migrationsFolder: migrationsBefore("postgres", workDir) });
      await client.query(
        "insert into apps (id, name, mode, push_enabled, require_auth_token, notification_ttl_seconds, api_key, created_at, updated_at) values ('app_1', 'A', 'direct', true, false, 60, 'pk', now(), now())",
      );
      for (const [user, scope, scopeId, enabled] of v1Rows) {
        await client.query(
          "insert into notification_settings (app_id, user_id, scope, scope_id, enabled) values ('app_1', $1, $2, $3, $4)",
          [user, scope, scopeId, enabled],
        );
      }
      await postgresMigrate(db, { migrationsFolder: path.join(migrationsRoot, "postgres") });
      const result = await client.query(
        "select scope, scope_id, level from notification_settings order by scope, scope_id",
      );
      return result.rows;
    } finally {
      await client.end();
    }
  }
});
