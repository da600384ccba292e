import { randomBytes } from "node:crypto";
import path from "node:path";
import { Client } from "pg";

/** The database of one test gateway: created before it starts, dropped when it closes. */
export interface TestDatabase {
  url: string;
  create(): Promise<void>;
  drop(): Promise<void>;
}

/**
 * A fresh SQLite file in `dataDir` (removed with it), or, when `TEST_DATABASE_URL` names a
 * PostgreSQL server, a fresh database there, so tests stay independent on either store.
 */
export function testDatabase(dataDir: string): TestDatabase {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) {
    return {
      url: `sqlite:${path.join(dataDir, "pushgate.db")}`,
      create: async () => {},
      drop: async () => {},
    };
  }
  const name = `pushgate_test_${randomBytes(6).toString("hex")}`;
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    create: () => runOn(server, `create database ${name}`),
    // Forced: a worker process a test killed may still hold connections.
    drop: () => runOn(server, `drop database if exists ${name} with (force)`),
  };
}

async function runOn(serverUrl: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
