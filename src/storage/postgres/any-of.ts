import { type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/** `column = any($1)`: a list of any length bound as one array parameter, so a batch is one statement. */
export function isAnyOf(column: PgColumn, values: readonly string[]): SQL {
  return sql`${column} = any(${sql.param(values)}::text[])`;
}

/** `isAnyOf` in a prepared statement: the list is bound to the placeholder `name`. */
export function isAnyOfPlaceholder(column: PgColumn, name: string): SQL {
  return sql`${column} = any(${sql.placeholder(name)}::text[])`;
}
