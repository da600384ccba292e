import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../src/storage/open-store.js";
import { SqliteDatabase } from "../../src/storage/sql/sqlite-database.js";
import { statement } from "../../src/storage/sql/statement.js";
import { insertApp } from "./support/rows.js";
import { openTestSqlDatabase, type TestSqlDatabase } from "./support/test-sql-database.js";

const members = statement<{ channelId: string }, { user_id: string }>(
  "test.adapter_members",
  (p) =>
    sql`select user_id from channel_members where app_id = 'app_1' and channel_id = ${p.channelId} order by user_id`,
);
const addMember = statement<{ channelId: string; userId: string }>(
  "test.adapter_add_member",
  (p) =>
    sql`insert into channel_members (app_id, channel_id, user_id) values ('app_1', ${p.channelId}, ${p.userId})`,
);
const addMembers = statement<{ rows: string }>(
  "test.adapter_add_members",
  (p, d) => sql`insert into channel_members (app_id, channel_id, user_id)
    select 'app_1', channel_id, user_id from ${d.jsonRows(p.rows, { channel_id: "text", user_id: "text" })} as r`,
);

describe("the SQL adapter (on the test run's database)", () => {
  let database: TestSqlDatabase;

  before(async () => {
    database = await openTestSqlDatabase();
    await insertApp(database.db, "app_1");
  });
  after(() => database.close());

  const userIds = async (channelId: string) =>
    (await database.db.all(members, { channelId })).map((row) => row.user_id);

  it("refuses a second statement of the same name: PostgreSQL prepares them by name", () => {
    expect(() => statement("test.adapter_members", () => sql`select 1`)).to.throw(/defined twice/);
  });

  it("binds a list of any length as one parameter, and rows from one JSON parameter", async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      channel_id: "bulk",
      user_id: `u${String(i).padStart(4, "0")}`,
    }));
    expect(await database.db.run(addMembers, { rows: JSON.stringify(rows) })).to.equal(2000);
    expect(await userIds("bulk")).to.have.length(2000);
  });

  it("rolls a transaction back whole when its work throws", async () => {
    const failing = database.db.transaction(async (tx) => {
      await tx.run(addMember, { channelId: "rollback", userId: "u1" });
      throw new Error("work failed");
    });
    expect(((await failing.catch((error: unknown) => error)) as Error).message).to.equal("work failed");
    expect(await userIds("rollback")).to.deep.equal([]);
  });

  it("keeps other callers' statements out of an open transaction", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = database.db.transaction(async (tx) => {
      await tx.run(addMember, { channelId: "isolated", userId: "inside" });
      await held;
      throw new Error("rolled back");
    });
    // Runs while the transaction waits: it must neither join it nor be rolled back with it.
    const outside = database.db.run(addMember, { channelId: "isolated", userId: "outside" });
    setTimeout(release, 20);
    await transaction.catch(() => {});
    await outside;
    expect(await userIds("isolated")).to.deep.equal(["outside"]);
  });
});

describe("the embedded database file", () => {
  it("keeps SQLite's own 2 MB page cache, not better-sqlite3's 16 MB, resident in every process", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pushgate-cache-"));
    const database = SqliteDatabase.open(path.join(dir, "pushgate.db"));
    try {
      expect(database.connection.pragma("cache_size", { simple: true })).to.equal(-2000);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is readable and writable by its owner alone, with its WAL", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pushgate-mode-"));
    const file = path.join(dir, "pushgate.db");
    const db = await openDatabase(`sqlite:${file}`);
    try {
      for (const created of [file, `${file}-wal`]) {
        expect(statSync(created).mode & 0o777, created).to.equal(0o600);
      }
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
