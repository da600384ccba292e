import path from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { Client } from "pg";

const migrationsFolder = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../drizzle/postgres",
);

/**
 * Applies pending migrations while holding an advisory lock, so processes starting at
 * once apply them one at a time (drizzle's migrator takes no lock of its own). The lock
 * is tied to a connection of its own: ending that session releases it, even on failure.
 */
export async function migrateExclusively(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(hashtext('pushgate.migrations'))");
    await migrate(drizzle({ client }), { migrationsFolder });
  } finally {
    await client.end();
  }
}
