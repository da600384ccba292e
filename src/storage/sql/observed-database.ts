import type { SqlDatabase, TransactionOptions } from "./database.js";
import type { Statement } from "./statement.js";

/** Told of every statement sent, by name, and of every transaction: the database round trips of a process. */
export interface StatementObserver {
  statement(name: string): void;
  transaction(): void;
}

/** `database`, telling `observer` of each statement and transaction it runs (those of a transaction too). */
export class ObservedDatabase implements SqlDatabase {
  readonly dialect: SqlDatabase["dialect"];

  constructor(
    private readonly database: SqlDatabase,
    private readonly observer: StatementObserver,
  ) {
    this.dialect = database.dialect;
  }

  all<Params extends object, Row>(statement: Statement<Params, Row>, values: Params): Promise<Row[]> {
    this.observer.statement(statement.name);
    return this.database.all(statement, values);
  }

  get<Params extends object, Row>(
    statement: Statement<Params, Row>,
    values: Params,
  ): Promise<Row | undefined> {
    this.observer.statement(statement.name);
    return this.database.get(statement, values);
  }

  run<Params extends object>(statement: Statement<Params, unknown>, values: Params): Promise<number> {
    this.observer.statement(statement.name);
    return this.database.run(statement, values);
  }

  transaction<T>(work: (tx: SqlDatabase) => Promise<T>, options?: TransactionOptions): Promise<T> {
    this.observer.transaction();
    return this.database.transaction((tx) => work(new ObservedDatabase(tx, this.observer)), options);
  }

  ping(): Promise<void> {
    return this.database.ping();
  }

  close(): Promise<void> {
    return this.database.close();
  }
}
