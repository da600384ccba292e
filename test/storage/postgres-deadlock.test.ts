import { expect } from "chai";
import { sql } from "drizzle-orm";
import pg from "pg";
import { openDatabase } from "../../src/storage/open-store.js";
import type { SqlDatabase } from "../../src/storage/sql/database.js";
import { statement } from "../../src/storage/sql/statement.js";
import { freshPostgresDatabase, type TestDatabase } from "../support/test-database.js";

/** No index on `v`: the rows are updated in the order they were written, `b` before `a`. */
const bumpEveryRow = statement<Record<string, never>>(
  "test.deadlock_bump_every_row",
  () => sql`update deadlock_probe set v = v + 10 where v >= 0`,
);

describe("PostgreSQL: a statement outside a transaction that a deadlock ended", () => {
  const server = process.env.TEST_DATABASE_URL;
  let database: TestDatabase;
  let db: SqlDatabase;
  let other: pg.Client;

  before(async function () {
    if (!server) this.skip();
    database = freshPostgresDatabase(server, "pushgate_deadlock");
    await database.create();
    db = await openDatabase(database.url, { poolSize: 2 });
    other = new pg.Client({ connectionString: database.url });
    await other.connect();
    await other.query("create table deadlock_probe (id text primary key, v integer not null)");
    await other.query("insert into deadlock_probe values ('b', 0)");
    await other.query("insert into deadlock_probe values ('a', 0)");
  });

  after(async () => {
    await other?.end();
    await db?.close();
    await database?.drop();
  });

  it("runs again, as a transaction that lost a race does", async () => {
    await other.query("begin");
    await other.query("update deadlock_probe set v = v + 1 where id = 'a'");
    const ours = db.run(bumpEveryRow, {});
    // Ours holds `b` and waits for `a`; it waits first, so its deadlock check runs first and ends it.
    while (
      Number((await other.query("select count(*) as n from pg_locks where not granted")).rows[0].n) === 0
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await other.query("update deadlock_probe set v = v + 1 where id = 'b'");
    await other.query("commit");

    expect(await ours).to.equal(2);
    const rows = await other.query("select id, v from deadlock_probe order by id");
    expect(rows.rows).to.deep.equal([
      { id: "a", v: 11 },
      { id: "b", v: 11 },
    ]);
  });
});
