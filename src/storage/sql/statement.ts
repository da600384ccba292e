import { Placeholder, type SQL, sql } from "drizzle-orm";

export type DialectName = "sqlite" | "postgres";

/** The type of a column read from a JSON parameter by `DialectFragments.jsonRows`. */
export type JsonColumnType = "text" | "integer" | "boolean" | "time" | "json";

/**
 * The few spellings SQLite and PostgreSQL do not share. Everything else in a statement is
 * written once, in the SQL both understand.
 */
export interface DialectFragments {
  readonly name: DialectName;
  /**
   * A list parameter (an array of strings) as a one-column subquery whose column is `value`:
   * `WHERE id IN ${d.list(p.ids)}`. A list of any length is one parameter.
   */
  list(values: SQL): SQL;
  /**
   * A parameter holding a JSON array of objects (pass `JSON.stringify(rows)`) as a subquery
   * with the named, typed columns: `INSERT … SELECT a, b FROM ${d.jsonRows(p.rows, {…})} AS r`.
   * A `time` travels as epoch milliseconds, a `json` as its JSON text (a string), kept as written.
   */
  jsonRows(rows: SQL, columns: Record<string, JsonColumnType>): SQL;
  /** A point in time; typed, so that it may also be compared with null. */
  time(value: SQL): SQL;
  /** The text at `path` (object keys) of a JSON column; null when absent. */
  jsonText(column: SQL, path: readonly string[]): SQL;
  /** Whether the array at `path` of a JSON column holds the text `value`; false when absent. */
  jsonArrayHas(column: SQL, path: readonly string[], value: SQL): SQL;
}

/** A statement's parameters, as the placeholders its SQL is written with. */
export type Placeholders<Params> = { readonly [Key in keyof Params]: SQL };

/**
 * One SQL statement for both databases, kept as data: built once per dialect from named
 * placeholders, then prepared once per connection and run with values only.
 */
export interface Statement<Params, Row> {
  readonly name: string;
  build(parameters: Placeholders<Params>, dialect: DialectFragments): SQL;
  /** Types the rows only. */
  readonly row?: Row;
}

const names = new Set<string>();

/** `name` must be unique: PostgreSQL prepares statements by name. */
export function statement<Params extends object, Row = never>(
  name: string,
  build: (parameters: Placeholders<Params>, dialect: DialectFragments) => SQL,
): Statement<Params, Row> {
  if (names.has(name)) throw new Error(`statement ${name} is defined twice`);
  names.add(name);
  return { name, build };
}

const placeholders = new Proxy({} as Record<string, SQL>, {
  get: (_target, key) => sql`${sql.placeholder(String(key))}`,
});

/** A statement's SQL text in one dialect, and where each of its parameters comes from. */
export interface CompiledStatement {
  readonly text: string;
  readonly parameters: readonly unknown[];
}

export function compile(
  definition: Statement<object, unknown>,
  fragments: DialectFragments,
  toQuery: (query: SQL) => { sql: string; params: unknown[] },
): CompiledStatement {
  const query = toQuery(definition.build(placeholders, fragments));
  return { text: query.sql, parameters: query.params };
}

/** The values of a compiled statement's parameters, in order. */
export function bindValues(
  compiled: CompiledStatement,
  values: object,
  normalize: (value: unknown) => unknown,
): unknown[] {
  const named = values as Record<string, unknown>;
  return compiled.parameters.map((parameter) =>
    normalize(parameter instanceof Placeholder ? named[parameter.name] : parameter),
  );
}
