import { Client } from "pg";

/** The server's URL without its password, to print and record. */
export function shownServer(serverUrl: string): string {
  try {
    const url = new URL(serverUrl);
    url.password = "";
    return url.toString();
  } catch {
    return "(an unreadable URL)";
  }
}

/**
 * Whether a PostgreSQL server answers at `serverUrl` and lets this user create a database:
 * undefined when it does, else why not in a few words.
 */
export async function postgresUnavailable(serverUrl: string, timeoutMs = 3000): Promise<string | undefined> {
  const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: timeoutMs });
  client.on("error", () => {});
  try {
    await client.connect();
    const answer = await client.query<{ allowed: boolean }>(
      "select rolcreatedb or rolsuper as allowed from pg_roles where rolname = current_user",
    );
    return answer.rows[0]?.allowed ? undefined : "its user may not create a database";
  } catch (error) {
    const text = error instanceof Error ? error.message || error.name : String(error);
    return `cannot connect: ${text.split("\n")[0]}`;
  } finally {
    await client.end().catch(() => {});
  }
}
