import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { Pool } from "pg";
import type { SecretBox } from "../../security/secret-box.js";
import type { Store } from "../store.js";
import { PostgresAppRepository } from "./app-repository.js";
import { PostgresAudienceFilter } from "./audience-filter.js";
import { PostgresChannelRepository } from "./channel-repository.js";
import { PostgresDeviceRepository } from "./device-repository.js";
import { PostgresEventRepository } from "./event-repository.js";
import { migrateExclusively } from "./migrate.js";
import { PostgresNotificationSettingsRepository } from "./notification-settings-repository.js";
import * as schema from "./schema/index.js";
import { PostgresSessionRepository } from "./session-repository.js";
import { PostgresTokenDirectory } from "./token-directory.js";

export type PostgresDb = NodePgDatabase<typeof schema>;
export type PostgresTx = Parameters<Parameters<PostgresDb["transaction"]>[0]>[0];

export class PostgresStore implements Store {
  readonly kind = "postgres";
  readonly apps: PostgresAppRepository;
  readonly events: PostgresEventRepository;
  readonly channels: PostgresChannelRepository;
  readonly sessions: PostgresSessionRepository;
  readonly devices: PostgresDeviceRepository;
  readonly notificationSettings: PostgresNotificationSettingsRepository;
  readonly audience: PostgresAudienceFilter;
  readonly tokens: PostgresTokenDirectory;

  private constructor(
    private readonly pool: Pool,
    readonly db: PostgresDb,
    secretBox: SecretBox,
  ) {
    this.apps = new PostgresAppRepository(db, secretBox);
    this.events = new PostgresEventRepository(db);
    this.channels = new PostgresChannelRepository(db);
    this.sessions = new PostgresSessionRepository(db);
    this.devices = new PostgresDeviceRepository(db);
    this.notificationSettings = new PostgresNotificationSettingsRepository(db);
    this.audience = new PostgresAudienceFilter(db);
    this.tokens = new PostgresTokenDirectory(db);
  }

  /** Brings the schema up to date, then opens a pool of at most `poolSize` connections (pg's default when not given). */
  static async open(url: string, secretBox: SecretBox, poolSize?: number): Promise<PostgresStore> {
    await migrateExclusively(url);
    const pool = new Pool({ connectionString: url, max: poolSize });
    // An idle connection the server closed leaves the pool by itself; unheard, its error would end the process.
    pool.on("error", () => {});
    return new PostgresStore(pool, drizzle({ client: pool, schema }), secretBox);
  }

  async ping(): Promise<void> {
    await this.pool.query("select 1");
  }

  async close(): Promise<void> {
    if (!this.pool.ending) await this.pool.end();
  }
}
