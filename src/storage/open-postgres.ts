import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { migrationsFolder } from "./migrations-folder.js";
import { PostgresDatabase, type PostgresOptions } from "./sql/postgres-database.js";

/**
 * Applies pending migrations while holding an advisory lock, so processes starting at
 * once apply them one at a time (drizzle's migrator takes no lock of its own). The lock
 * is tied to a connection of its own: ending that session releases it, even on failure.
 */
async function migratePostgresDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(hashtext('pushgate.migrations'))");
    await migrate(drizzle({ client }), { migrationsFolder: migrationsFolder("postgres") });
  } finally {
    await client.end();
  }
}

/** The PostgreSQL database at `url`, its schema brought up to date first. */
export async function openPostgresDatabase(url: string, options: PostgresOptions): Promise<PostgresDatabase> {
  await migratePostgresDatabase(url);
  return PostgresDatabase.open(url, options);
}
