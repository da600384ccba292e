import type { SecretBox } from "../security/secret-box.js";
import { SqlAppRepository } from "./repositories/apps.js";
import { SqlAudienceFilter } from "./repositories/audience-filter.js";
import { SqlChannelRepository } from "./repositories/channels.js";
import { SqlDeviceDeliveryRepository } from "./repositories/device-deliveries.js";
import { SqlDeviceRepository } from "./repositories/devices.js";
import { SqlEventRepository } from "./repositories/events.js";
import { SqlNotificationSettingsRepository } from "./repositories/notification-settings.js";
import { SqlSessionRepository } from "./repositories/sessions.js";
import { SqlTemplateRepository } from "./repositories/templates.js";
import { SqlTokenDirectory } from "./repositories/token-directory.js";
import type { SqlDatabase } from "./sql/database.js";
import type { Store } from "./store.js";

/** The repositories over one database, SQLite or PostgreSQL alike. */
export class SqlStore implements Store {
  readonly kind: Store["kind"];
  readonly apps: SqlAppRepository;
  readonly events: SqlEventRepository;
  readonly deviceDeliveries: SqlDeviceDeliveryRepository;
  readonly channels: SqlChannelRepository;
  readonly sessions: SqlSessionRepository;
  readonly devices: SqlDeviceRepository;
  readonly notificationSettings: SqlNotificationSettingsRepository;
  readonly templates: SqlTemplateRepository;
  readonly audience: SqlAudienceFilter;
  readonly tokens: SqlTokenDirectory;

  constructor(
    private readonly db: SqlDatabase,
    secretBox: SecretBox,
  ) {
    this.kind = db.dialect;
    this.apps = new SqlAppRepository(db, secretBox);
    this.events = new SqlEventRepository(db);
    this.deviceDeliveries = new SqlDeviceDeliveryRepository(db);
    this.channels = new SqlChannelRepository(db);
    this.sessions = new SqlSessionRepository(db);
    this.devices = new SqlDeviceRepository(db);
    this.notificationSettings = new SqlNotificationSettingsRepository(db);
    this.templates = new SqlTemplateRepository(db);
    this.audience = new SqlAudienceFilter(db);
    this.tokens = new SqlTokenDirectory(db);
  }

  ping(): Promise<void> {
    return this.db.ping();
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
