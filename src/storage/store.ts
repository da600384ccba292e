import type { AppRepository } from "../domain/apps/app-repository.js";
import type { AudienceFilter, TokenDirectory, TokenOwners } from "../domain/audience/audience.js";
import type { ChannelRepository } from "../domain/channels/channel-repository.js";
import type { DeviceRepository } from "../domain/devices/device-repository.js";
import type { DeviceDeliveryRepository } from "../domain/events/device-delivery.js";
import type { EventRepository } from "../domain/events/event-repository.js";
import type { NotificationSettingsRepository } from "../domain/notification-settings/notification-settings-repository.js";
import type { SessionRepository } from "../domain/sessions/session-repository.js";
import type { TemplateRepository } from "../domain/templates/template-repository.js";

/** Everything the gateway keeps in its database, behind one interface per aggregate. */
export interface Store {
  readonly kind: "sqlite" | "postgres";
  readonly apps: AppRepository;
  readonly events: EventRepository;
  /** What became of each event on each device. */
  readonly deviceDeliveries: DeviceDeliveryRepository;
  readonly channels: ChannelRepository;
  readonly sessions: SessionRepository;
  readonly devices: DeviceRepository;
  readonly notificationSettings: NotificationSettingsRepository;
  /** The apps' own wording per event type. */
  readonly templates: TemplateRepository;
  /** The user and channel toggles, for the pipeline. */
  readonly audience: AudienceFilter;
  /** The recipients' device tokens, for the pipeline's fan-out, and whose each is. */
  readonly tokens: TokenDirectory & TokenOwners;
  /** Rejects when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
