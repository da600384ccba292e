import path from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { SecretBox } from "../../security/secret-box.js";
import type { Store } from "../store.js";
import { SqliteAppRepository } from "./app-repository.js";
import { SqliteAudienceFilter } from "./audience-filter.js";
import { SqliteChannelRepository } from "./channel-repository.js";
import { SqliteDeviceRepository } from "./device-repository.js";
import { SqliteEventRepository } from "./event-repository.js";
import { SqliteNotificationSettingsRepository } from "./notification-settings-repository.js";
import * as schema from "./schema/index.js";
import { SqliteSessionRepository } from "./session-repository.js";
import { StatementCachingDatabase } from "./statement-cache.js";
import { SqliteTokenDirectory } from "./token-directory.js";

export type SqliteDb = BetterSQLite3Database<typeof schema>;

const migrationsFolder = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../drizzle/sqlite",
);

export class SqliteStore implements Store {
  readonly kind = "sqlite";
  readonly apps: SqliteAppRepository;
  readonly events: SqliteEventRepository;
  readonly channels: SqliteChannelRepository;
  readonly sessions: SqliteSessionRepository;
  readonly devices: SqliteDeviceRepository;
  readonly notificationSettings: SqliteNotificationSettingsRepository;
  readonly audience: SqliteAudienceFilter;
  readonly tokens: SqliteTokenDirectory;

  private constructor(
    private readonly connection: Database.Database,
    readonly db: SqliteDb,
    secretBox: SecretBox,
  ) {
    this.apps = new SqliteAppRepository(db, secretBox);
    this.events = new SqliteEventRepository(db);
    this.channels = new SqliteChannelRepository(db);
    this.sessions = new SqliteSessionRepository(db);
    this.devices = new SqliteDeviceRepository(db);
    this.notificationSettings = new SqliteNotificationSettingsRepository(db);
    this.audience = new SqliteAudienceFilter(db);
    this.tokens = new SqliteTokenDirectory(db);
  }

  static open(file: string, secretBox: SecretBox): SqliteStore {
    const connection = new StatementCachingDatabase(file);
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = NORMAL");
    connection.pragma("foreign_keys = ON");
    // Several processes (api + worker roles) may share the file.
    connection.pragma("busy_timeout = 5000");
    const db = drizzle(connection, { schema });
    migrate(db, { migrationsFolder });
    return new SqliteStore(connection, db, secretBox);
  }

  async ping(): Promise<void> {
    this.connection.prepare("select 1").get();
  }

  async close(): Promise<void> {
    if (this.connection.open) this.connection.close();
  }
}
