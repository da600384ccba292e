import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect } from "chai";
import { runCli } from "./cli-process.js";

describe("pushgate migrate", function () {
  this.timeout(30_000);

  it("creates the schema of a new database and says so, and is harmless a second time", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "pushgate-migrate-"));
    const env = { DATA_DIR: dataDir, DATABASE_URL: `sqlite:${path.join(dataDir, "pushgate.db")}` };
    try {
      const first = await runCli(["migrate"], env);
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout).to.equal("database schema is up to date (sqlite)\n");
      const again = await runCli(["migrate"], env);
      expect(again.code, again.stderr).to.equal(0);
      const db = new Database(path.join(dataDir, "pushgate.db"), { readonly: true });
      const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as {
        name: string;
      }[];
      db.close();
      expect(tables.map((table) => table.name)).to.include.members(["apps", "events", "devices", "sessions"]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("stops with one line naming the setting when DATABASE_URL is wrong", async () => {
    const result = await runCli(["migrate"], { DATABASE_URL: "mysql://nope" });
    expect(result.code).to.equal(1);
    expect(result.stderr.trim()).to.match(/^pushgate: DATABASE_URL: must be sqlite:<path> or postgres/);
  });
});
