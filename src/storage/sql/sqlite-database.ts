import { chmodSync, closeSync, openSync, type Stats, statSync } from "node:fs";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { SqlDatabase } from "./database.js";
import {
  bindValues,
  type CompiledStatement,
  compile,
  type DialectFragments,
  type Statement,
} from "./statement.js";

export const sqliteFragments: DialectFragments = {
  name: "sqlite",
  list: (values) => sql`(select value from json_each(${values}))`,
  // JSON true and false come out as 1 and 0, times as the milliseconds they went in as: SQLite's storage.
  jsonRows: (rows, columns) =>
    sql`(select ${sql.join(
      Object.keys(columns).map((name) => sql.raw(`json_extract(value, '$.${name}') as "${name}"`)),
      sql`, `,
    )} from json_each(${rows}))`,
  time: (value) => value,
  jsonText: (column, path) => sql`json_extract(${column}, ${sql.raw(`'${jsonPath(path)}'`)})`,
  jsonArrayHas: (column, path, value) =>
    sql`exists (select 1 from json_each(${column}, ${sql.raw(`'${jsonPath(path)}'`)}) where value = ${value})`,
};

/** Keys are the statement's own words, never data: checked, then written into the SQL. */
function jsonPath(path: readonly string[]): string {
  if (!path.every((key) => /^[a-z_][a-z0-9_]*$/i.test(key)))
    throw new Error(`bad JSON path ${path.join(".")}`);
  return `$.${path.join(".")}`;
}

/** What better-sqlite3 binds: epoch milliseconds for times, 0/1 for booleans, JSON text for lists. */
function toSqlite(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === "boolean") return value ? 1 : 0;
  if (Array.isArray(value)) return JSON.stringify(value);
  return value;
}

const dialect = new SQLiteSyncDialect();

interface PreparedStatement {
  compiled: CompiledStatement;
  prepared: Database.Statement;
}

/**
 * SQLite through better-sqlite3: one connection, every statement prepared once. Its calls
 * are synchronous; a transaction's work is asynchronous, so while one is open every other
 * caller waits for it — otherwise its statements would run inside that transaction.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = "sqlite";
  readonly #prepared = new Map<string, PreparedStatement>();
  #transactionDone: Promise<void> | null = null;

  private constructor(
    readonly connection: Database.Database,
    /** The file opened, and its identity then; null in memory. */
    private readonly opened: { file: string; stats: Stats } | null,
  ) {}

  static open(file: string): SqliteDatabase {
    if (file !== ":memory:") {
      // It holds sealed secrets and digests: readable by the gateway's user alone, like DATA_DIR's
      // key files. SQLite gives its WAL and shared-memory files the database file's mode.
      closeSync(openSync(file, "a", 0o600));
      chmodSync(file, 0o600);
    }
    const connection = new Database(file);
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = NORMAL");
    connection.pragma("foreign_keys = ON");
    // Several processes (api + worker roles) may share the file.
    connection.pragma("busy_timeout = 5000");
    // SQLite's own default page cache, 2,000 KiB: better-sqlite3 builds with 16 MB per connection,
    // which a long-running process fills and keeps resident while the OS caches the file anyway.
    connection.pragma("cache_size = -2000");
    return new SqliteDatabase(connection, file === ":memory:" ? null : { file, stats: statSync(file) });
  }

  // Each method checks for an open transaction and then runs with no await in between.
  async all<Params extends object, Row>(statement: Statement<Params, Row>, values: Params): Promise<Row[]> {
    while (this.#transactionDone) await this.#transactionDone;
    return this.#allNow(statement, values);
  }

  async get<Params extends object, Row>(
    statement: Statement<Params, Row>,
    values: Params,
  ): Promise<Row | undefined> {
    while (this.#transactionDone) await this.#transactionDone;
    return this.#getNow(statement, values);
  }

  async run<Params extends object>(statement: Statement<Params, unknown>, values: Params): Promise<number> {
    while (this.#transactionDone) await this.#transactionDone;
    return this.#runNow(statement, values);
  }

  async transaction<T>(work: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    while (this.#transactionDone) await this.#transactionDone;
    let finish = () => {};
    this.#transactionDone = new Promise((resolve) => {
      finish = resolve;
    });
    try {
      // IMMEDIATE: the write lock is taken now, so two processes never both read then write.
      this.connection.exec("begin immediate");
      try {
        const result = await work(this.#insideTransaction);
        this.connection.exec("commit");
        return result;
      } catch (error) {
        if (this.connection.inTransaction) this.connection.exec("rollback");
        throw error;
      }
    } finally {
      this.#transactionDone = null;
      finish();
    }
  }

  /**
   * Also fails once the file at the path is no longer the one opened (deleted, moved, replaced):
   * SQLite goes on reading and writing the orphaned file, and all of it is gone at the next start.
   */
  async ping(): Promise<void> {
    this.connection.prepare("select 1").get();
    if (!this.opened) return;
    const now = statSync(this.opened.file, { throwIfNoEntry: false });
    if (now?.ino !== this.opened.stats.ino || now.dev !== this.opened.stats.dev) {
      throw new Error(`${this.opened.file} is no longer the database file the gateway opened`);
    }
  }

  async close(): Promise<void> {
    if (this.connection.open) this.connection.close();
  }

  readonly #insideTransaction: SqlDatabase = {
    dialect: "sqlite",
    all: async (statement, values) => this.#allNow(statement, values),
    get: async (statement, values) => this.#getNow(statement, values),
    run: async (statement, values) => this.#runNow(statement, values),
    transaction: (work) => work(this.#insideTransaction),
    ping: () => this.ping(),
    close: () => this.close(),
  };

  #allNow<Params extends object, Row>(statement: Statement<Params, Row>, values: Params): Row[] {
    const { compiled, prepared } = this.#prepare(statement);
    return prepared.all(...bindValues(compiled, values, toSqlite)) as Row[];
  }

  #getNow<Params extends object, Row>(statement: Statement<Params, Row>, values: Params): Row | undefined {
    const { compiled, prepared } = this.#prepare(statement);
    return prepared.get(...bindValues(compiled, values, toSqlite)) as Row | undefined;
  }

  #runNow<Params extends object>(statement: Statement<Params, unknown>, values: Params): number {
    const { compiled, prepared } = this.#prepare(statement);
    return prepared.run(...bindValues(compiled, values, toSqlite)).changes;
  }

  #prepare(statement: Statement<object, unknown>): PreparedStatement {
    let entry = this.#prepared.get(statement.name);
    if (!entry) {
      const compiled = compile(statement, sqliteFragments, (query) => dialect.sqlToQuery(query));
      entry = { compiled, prepared: this.connection.prepare(compiled.text) };
      this.#prepared.set(statement.name, entry);
    }
    return entry;
  }
}
