import { sql } from "drizzle-orm";
import type { SqlDatabase } from "../../../src/storage/sql/database.js";
import { statement } from "../../../src/storage/sql/statement.js";

const insertBareApp = statement<{ id: string; now: Date }>(
  "test.insert_bare_app",
  (
    p,
  ) => sql`insert into apps (id, name, mode, push_enabled, require_auth_token, notification_ttl_seconds, api_key, created_at, updated_at)
    values (${p.id}, ${p.id}, 'direct', ${true}, ${true}, 3600, ${p.id}, ${p.now}, ${p.now})`,
);

/** An app row for a repository suite whose rows belong to an app. */
export async function insertApp(db: SqlDatabase, id: string): Promise<void> {
  await db.run(insertBareApp, { id, now: new Date() });
}
