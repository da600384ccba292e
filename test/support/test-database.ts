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
  return freshPostgresDatabase(server, "pushgate_test");
}

/** A database of its own on the PostgreSQL server `serverUrl` names, `<prefix>_<random>`. */
export function freshPostgresDatabase(serverUrl: string, prefix: string): TestDatabase {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    create: () => runOn(serverUrl, `create database ${name}`),
    // Forced: a worker process that was killed may still hold connections.
    drop: () => runOn(serverUrl, `drop database if exists ${name} with (force)`),
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
