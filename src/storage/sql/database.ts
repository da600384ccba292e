import type { DialectName, Statement } from "./statement.js";

/**
 * The one contract every repository is written against; a SQLite and a PostgreSQL
 * implementation stand behind it (`sqlite-database.ts`, `postgres-database.ts`).
 */
export interface SqlDatabase {
  readonly dialect: DialectName;
  all<Params extends object, Row>(statement: Statement<Params, Row>, values: Params): Promise<Row[]>;
  get<Params extends object, Row>(
    statement: Statement<Params, Row>,
    values: Params,
  ): Promise<Row | undefined>;
  /** The number of rows the statement changed. */
  run<Params extends object>(statement: Statement<Params, unknown>, values: Params): Promise<number>;
  /**
   * Runs `work` in one transaction, whose statements go through `tx`. SQLite takes its write
   * lock up front, so writers run one after the other; PostgreSQL runs SERIALIZABLE when asked.
   * PostgreSQL starts `work` again after a serialization failure or a deadlock, so `work` must
   * do nothing but database work.
   */
  transaction<T>(work: (tx: SqlDatabase) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Rejects when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface TransactionOptions {
  /** Needed where the work reads, then writes on what it read (PostgreSQL; SQLite always is). */
  serializable?: boolean;
}
