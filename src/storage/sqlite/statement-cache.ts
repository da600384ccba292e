import Database from "better-sqlite3";

/** Distinct SQL texts kept compiled; lists of ids make some texts vary, so the cache is bounded. */
const cachedStatements = 512;

/**
 * A better-sqlite3 connection that compiles each SQL text once. drizzle asks the driver to
 * prepare every query it runs, and compiling was the largest single cost of a worker's job.
 */
export class StatementCachingDatabase extends Database {
  readonly #statements = new Map<string, Database.Statement>();

  // biome-ignore lint/complexity/noBannedTypes: the signature better-sqlite3 declares
  override prepare<BindParameters extends unknown[] | {} = unknown[], Result = unknown>(
    source: string,
  ): Database.Statement<BindParameters, Result> {
    let statement = this.#statements.get(source);
    if (statement) {
      // Most recently used last, so the first entry is the one to evict.
      this.#statements.delete(source);
    } else {
      statement = super.prepare(source);
      if (this.#statements.size >= cachedStatements) {
        this.#statements.delete(this.#statements.keys().next().value as string);
      }
    }
    this.#statements.set(source, statement);
    // drizzle switches a statement to raw rows for selects and expects objects otherwise.
    if (statement.reader) statement.raw(false);
    return statement as Database.Statement<BindParameters, Result>;
  }
}
