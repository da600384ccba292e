import { expect } from "chai";
import { StatementCachingDatabase } from "../../src/storage/sqlite/statement-cache.js";

describe("SQLite statement cache", () => {
  let db: StatementCachingDatabase;
  beforeEach(() => {
    db = new StatementCachingDatabase(":memory:");
  });
  afterEach(() => db.close());

  it("compiles a SQL text once and hands the same statement back", () => {
    expect(db.prepare("select 1 as one")).to.equal(db.prepare("select 1 as one"));
  });

  it("gives rows as objects again after a caller switched the statement to raw rows", () => {
    // drizzle reads selected fields as raw rows, and rows of a plain query as objects.
    expect(db.prepare("select 1 as one").raw().get()).to.deep.equal([1]);
    expect(db.prepare("select 1 as one").get()).to.deep.equal({ one: 1 });
  });

  it("keeps a bounded number of statements, dropping the least recently used", () => {
    const first = db.prepare("select 0 as n");
    for (let n = 1; n <= 600; n++) db.prepare(`select ${n} as n`);
    expect(db.prepare("select 0 as n")).to.not.equal(first);
    expect(db.prepare("select 600 as n")).to.equal(db.prepare("select 600 as n"));
  });
});
