import { sql } from "drizzle-orm";

/**
 * A list bound as one JSON parameter (`IN (select value from json_each(?))`) to the placeholder
 * `name` of a prepared statement, so a batch of any size is one statement and never meets
 * SQLite's limit on bound variables.
 */
export function jsonListPlaceholder(name: string) {
  return sql`(select value from json_each(${sql.placeholder(name)}))`;
}
