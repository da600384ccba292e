import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import type { SqlDatabase, TransactionOptions } from "./database.js";
import {
  bindValues,
  type CompiledStatement,
  compile,
  type DialectFragments,
  type JsonColumnType,
  type Statement,
} from "./statement.js";

const recordsetTypes: Record<JsonColumnType, string> = {
  text: "text",
  integer: "integer",
  boolean: "boolean",
  time: "bigint",
  json: "text",
};

const recordsetColumn: Partial<Record<JsonColumnType, (name: string) => string>> = {
  time: (name) => `to_timestamp("${name}" / 1000.0) as "${name}"`,
  json: (name) => `cast("${name}" as json) as "${name}"`,
};

export const postgresFragments: DialectFragments = {
  name: "postgres",
  list: (values) => sql`(select unnest(cast(${values} as text[])) as value)`,
  jsonRows: (rows, columns) => {
    const selected = Object.entries(columns).map(([name, type]) =>
      sql.raw(recordsetColumn[type]?.(name) ?? `"${name}"`),
    );
    const declared = Object.entries(columns)
      .map(([name, type]) => `"${name}" ${recordsetTypes[type]}`)
      .join(", ");
    return sql`(select ${sql.join(selected, sql`, `)} from json_to_recordset(cast(${rows} as json)) as r(${sql.raw(declared)}))`;
  },
  time: (value) => sql`cast(${value} as timestamptz)`,
  jsonText: (column, path) => sql`(${column} #>> ${sql.raw(jsonPath(path))})`,
  jsonArrayHas: (column, path, value) =>
    sql`exists (select 1 from json_array_elements_text(${column} #> ${sql.raw(jsonPath(path))}) as element(value)
      where element.value = ${value})`,
};

/** Keys are the statement's own words, never data: checked, then written into the SQL. */
function jsonPath(path: readonly string[]): string {
  if (!path.every((key) => /^[a-z_][a-z0-9_]*$/i.test(key)))
    throw new Error(`bad JSON path ${path.join(".")}`);
  return `'{${path.join(",")}}'`;
}

function toPostgres(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** serialization_failure and deadlock_detected: the transaction lost a race and may simply run again. */
const conflictCodes = new Set(["40001", "40P01"]);
const maxAttempts = 50;

/** Jittered, so the transactions that collided do not collide again in step. */
function backOff(attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(2 ** attempt, 100));
}

function isConflict(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code !== undefined && conflictCodes.has(code);
}

const dialect = new PgDialect();
const compiledStatements = new Map<string, CompiledStatement>();

function compiled(statement: Statement<object, unknown>): CompiledStatement {
  let entry = compiledStatements.get(statement.name);
  if (!entry) {
    entry = compile(statement, postgresFragments, (query) => dialect.sqlToQuery(query));
    compiledStatements.set(statement.name, entry);
  }
  return entry;
}

type Queryable = pg.Pool | pg.PoolClient;

/**
 * Each statement is a named prepared statement: parsed and planned once per connection,
 * then sent as values only.
 */
async function query(on: Queryable, statement: Statement<object, unknown>, values: object) {
  const { text, parameters } = compiled(statement);
  return on.query({
    name: statement.name,
    text,
    values: bindValues({ text, parameters }, values, toPostgres),
  });
}

class PostgresStatements {
  readonly dialect = "postgres";

  constructor(protected readonly on: Queryable) {}

  async all<Params extends object, Row>(statement: Statement<Params, Row>, values: Params): Promise<Row[]> {
    return (await this.execute(statement, values)).rows as Row[];
  }

  async get<Params extends object, Row>(
    statement: Statement<Params, Row>,
    values: Params,
  ): Promise<Row | undefined> {
    return (await this.execute(statement, values)).rows[0] as Row | undefined;
  }

  async run<Params extends object>(statement: Statement<Params, unknown>, values: Params): Promise<number> {
    return (await this.execute(statement, values)).rowCount ?? 0;
  }

  protected execute(statement: Statement<object, unknown>, values: object): Promise<pg.QueryResult> {
    return query(this.on, statement, values);
  }
}

class PostgresTransaction extends PostgresStatements implements SqlDatabase {
  async transaction<T>(work: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    return work(this);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

export interface PostgresOptions {
  /** Connections of the pool, at most (pg's default when not given). */
  poolSize?: number;
  /** `synchronous_commit` of every connection (the server's own when not given). */
  synchronousCommit?: "on" | "off";
}

/** PostgreSQL through a `pg` pool. */
export class PostgresDatabase extends PostgresStatements implements SqlDatabase {
  private constructor(private readonly pool: pg.Pool) {
    super(pool);
  }

  static open(url: string, { poolSize, synchronousCommit }: PostgresOptions = {}): PostgresDatabase {
    const pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      options: synchronousCommit ? `-c synchronous_commit=${synchronousCommit}` : undefined,
    });
    // An idle connection the server closed leaves the pool by itself; unheard, its error would end the process.
    pool.on("error", () => {});
    return new PostgresDatabase(pool);
  }

  /**
   * A statement outside a transaction is a transaction of its own: one that a deadlock ended
   * was undone whole, and runs again like any transaction that lost a race.
   */
  protected override async execute(
    statement: Statement<object, unknown>,
    values: object,
  ): Promise<pg.QueryResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await query(this.pool, statement, values);
      } catch (error) {
        if (attempt >= maxAttempts || !isConflict(error)) throw error;
      }
      await backOff(attempt);
    }
  }

  async transaction<T>(work: (tx: SqlDatabase) => Promise<T>, options?: TransactionOptions): Promise<T> {
    const begin = options?.serializable ? "begin isolation level serializable" : "begin";
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query(begin);
        const result = await work(new PostgresTransaction(client));
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback").catch(() => {});
        // A deadlock can end any transaction, a serialization failure only a serializable one:
        // either lost a race and runs again.
        if (attempt >= maxAttempts || !isConflict(error)) throw error;
      } finally {
        client.release();
      }
      await backOff(attempt);
    }
  }

  async ping(): Promise<void> {
    await this.pool.query("select 1");
  }

  async close(): Promise<void> {
    if (!this.pool.ending) await this.pool.end();
  }
}
