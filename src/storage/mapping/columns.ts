/**
 * The named columns of a drizzle table, for a select whose rows are domain records as
 * they are: the same code picks them from a SQLite table and from its PostgreSQL twin.
 */
export function pickColumns<Table, Key extends keyof Table>(
  table: Table,
  keys: readonly Key[],
): Pick<Table, Key> {
  const picked = {} as Pick<Table, Key>;
  for (const key of keys) picked[key] = table[key];
  return picked;
}
