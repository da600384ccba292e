import { sql } from "drizzle-orm";
import type {
  ActiveSecret,
  ApnsCredentials,
  App,
  AppBasicSettings,
  AppMode,
  AppSecrets,
  AppVariant,
  BadgeMode,
  FcmServiceAccount,
  OtherEvents,
  QuietDelivery,
  SecretKind,
  StatusCallbackSettings,
  StatusCallbackType,
  WebhookDisabled,
  WebhookDisabledBy,
  WebhookFallback,
  WebhookSettings,
  WebPushCredentials,
} from "../../domain/apps/app.js";
import { webhookBreakerDefaults } from "../../domain/apps/app.js";
import type { AppChanges, AppRepository } from "../../domain/apps/app-repository.js";
import type { LiveEventType } from "../../domain/events/live-event.js";
import { credentialDigest } from "../../security/credentials.js";
import type { SecretBox } from "../../security/secret-box.js";
import type { SqlDatabase } from "../sql/database.js";
import { statement } from "../sql/statement.js";
import { readBoolean, readOptionalTime, readTime } from "../sql/values.js";

/** The webhook settings as their columns; all null when the app has no webhook. */
interface WebhookColumns {
  webhookUrl: string | null;
  webhookTimeoutMs: number | null;
  webhookFallback: WebhookFallback | null;
  /** JSON array; null: every type. */
  webhookEventTypes: string | null;
  webhookOtherEvents: OtherEvents | null;
  webhookDisableAfterFailures: number | null;
  webhookDisableAfterSeconds: number | null;
}

/** All null while the webhook is on. */
interface WebhookDisabledColumns {
  webhookDisabledAt: Date | null;
  webhookDisabledReason: string | null;
  webhookDisabledBy: WebhookDisabledBy | null;
}

/** Both null when the app has no status callback. */
interface StatusCallbackColumns {
  statusCallbackUrl: string | null;
  /** JSON array of the callback types. */
  statusCallbackEvents: string | null;
}

interface FcmColumns {
  /** Sealed (SecretBox) JSON of the service account. */
  fcmServiceAccountSealed: string | null;
  fcmProjectId: string | null;
}

interface ApnsColumns {
  apnsTeamId: string | null;
  apnsKeyId: string | null;
  apnsBundleId: string | null;
  /** Sealed (SecretBox) PEM of the p8 key. */
  apnsPrivateKeySealed: string | null;
}

interface WebPushColumns {
  webpushSubject: string | null;
  webpushPublicKey: string | null;
  /** Sealed (SecretBox) VAPID private key. */
  webpushPrivateKeySealed: string | null;
}

interface VariantColumns {
  variantsSealed: string | null;
}

type ProviderColumns = WebhookColumns &
  WebhookDisabledColumns &
  StatusCallbackColumns &
  FcmColumns &
  ApnsColumns &
  WebPushColumns &
  VariantColumns;

interface AppRow {
  id: string;
  name: string;
  mode: AppMode;
  push_enabled: unknown;
  require_auth_token: unknown;
  notification_ttl_seconds: number;
  quiet_delivery: QuietDelivery;
  badge: BadgeMode;
  burst_window_seconds: number;
  default_locale: string;
  api_key: string;
  webhook_url: string | null;
  webhook_timeout_ms: number | null;
  webhook_fallback: WebhookFallback | null;
  webhook_event_types: string | null;
  webhook_other_events: OtherEvents | null;
  webhook_disable_after_failures: number | null;
  webhook_disable_after_seconds: number | null;
  webhook_disabled_at: unknown;
  webhook_disabled_reason: string | null;
  webhook_disabled_by: WebhookDisabledBy | null;
  status_callback_url: string | null;
  status_callback_events: string | null;
  fcm_service_account_sealed: string | null;
  apns_team_id: string | null;
  apns_key_id: string | null;
  apns_bundle_id: string | null;
  apns_private_key_sealed: string | null;
  webpush_subject: string | null;
  webpush_public_key: string | null;
  webpush_private_key_sealed: string | null;
  variants_sealed: string | null;
  created_at: unknown;
  updated_at: unknown;
}

const appColumns = sql.raw(
  `id, name, mode, push_enabled, require_auth_token, notification_ttl_seconds, quiet_delivery, badge, burst_window_seconds, default_locale,
  api_key, webhook_url, webhook_timeout_ms, webhook_fallback, webhook_event_types, webhook_other_events,
  webhook_disable_after_failures, webhook_disable_after_seconds, webhook_disabled_at, webhook_disabled_reason, webhook_disabled_by,
  status_callback_url, status_callback_events, fcm_service_account_sealed,
  apns_team_id, apns_key_id, apns_bundle_id, apns_private_key_sealed,
  webpush_subject, webpush_public_key, webpush_private_key_sealed, variants_sealed, created_at, updated_at`,
);

const insertApp = statement<
  { id: string; apiKey: string; createdAt: Date; updatedAt: Date } & AppBasicSettings & ProviderColumns
>(
  "apps.insert",
  (p) => sql`insert into apps (id, name, mode, push_enabled, require_auth_token, notification_ttl_seconds,
      quiet_delivery, badge, burst_window_seconds, default_locale, api_key, webhook_url, webhook_timeout_ms, webhook_fallback,
      webhook_event_types, webhook_other_events, webhook_disable_after_failures, webhook_disable_after_seconds,
      webhook_disabled_at, webhook_disabled_reason, webhook_disabled_by,
      status_callback_url, status_callback_events, fcm_service_account_sealed,
      fcm_project_id, apns_team_id, apns_key_id, apns_bundle_id, apns_private_key_sealed,
      webpush_subject, webpush_public_key, webpush_private_key_sealed, variants_sealed, created_at, updated_at)
    values (${p.id}, ${p.name}, ${p.mode}, ${p.pushEnabled}, ${p.requireAuthToken}, ${p.notificationTtlSeconds},
      ${p.quietDelivery}, ${p.badge}, ${p.burstWindowSeconds}, ${p.defaultLocale}, ${p.apiKey}, ${p.webhookUrl}, ${p.webhookTimeoutMs}, ${p.webhookFallback},
      ${p.webhookEventTypes}, ${p.webhookOtherEvents}, ${p.webhookDisableAfterFailures}, ${p.webhookDisableAfterSeconds},
      ${p.webhookDisabledAt}, ${p.webhookDisabledReason}, ${p.webhookDisabledBy},
      ${p.statusCallbackUrl}, ${p.statusCallbackEvents}, ${p.fcmServiceAccountSealed},
      ${p.fcmProjectId}, ${p.apnsTeamId}, ${p.apnsKeyId}, ${p.apnsBundleId}, ${p.apnsPrivateKeySealed},
      ${p.webpushSubject}, ${p.webpushPublicKey}, ${p.webpushPrivateKeySealed}, ${p.variantsSealed},
      ${p.createdAt}, ${p.updatedAt})`,
);

interface SecretValues {
  kind: SecretKind;
  /** SHA-256 of the secret: how a presented server key finds its app. */
  digest: string;
  sealed: string;
}

const insertSecrets = statement<{ appId: string; secretsJson: string; createdAt: Date }>(
  "apps.insert_secrets",
  (p, d) => sql`insert into app_secrets (app_id, kind, digest, sealed, created_at)
    select cast(${p.appId} as text), s.kind, s.digest, s.sealed, ${d.time(p.createdAt)}
    from ${d.jsonRows(p.secretsJson, { kind: "text", digest: "text", sealed: "text" })} as s`,
);

const findById = statement<{ id: string }, AppRow>(
  "apps.find_by_id",
  (p) => sql`select ${appColumns} from apps where id = ${p.id}`,
);

const findByApiKey = statement<{ apiKey: string }, AppRow>(
  "apps.find_by_api_key",
  (p) => sql`select ${appColumns} from apps where api_key = ${p.apiKey}`,
);

const findIdByServerKeyDigest = statement<{ digest: string; now: Date }, { app_id: string }>(
  "apps.find_id_by_server_key_digest",
  (p) => sql`select app_id from app_secrets
    where kind = 'server_key' and digest = ${p.digest} and (expires_at is null or expires_at > ${p.now})`,
);

const listApps = statement<Record<string, never>, AppRow>(
  "apps.list",
  () => sql`select ${appColumns} from apps order by created_at, id`,
);

/**
 * A setting the change leaves out is bound as null: those columns are NOT NULL, so null can
 * only mean "unchanged". The webhook and provider columns may be null, so each block has a
 * flag saying whether the change names it.
 */
const updateApp = statement<
  {
    id: string;
    changesWebhook: boolean;
    changesWebhookDisabled: boolean;
    changesStatusCallback: boolean;
    changesFcm: boolean;
    changesApns: boolean;
    changesWebPush: boolean;
    changesVariants: boolean;
    updatedAt: Date;
  } & { [Setting in keyof AppBasicSettings]: AppBasicSettings[Setting] | undefined } & ProviderColumns,
  AppRow
>(
  "apps.update",
  (p) => sql`update apps set
      name = coalesce(${p.name}, name),
      mode = coalesce(${p.mode}, mode),
      push_enabled = coalesce(${p.pushEnabled}, push_enabled),
      require_auth_token = coalesce(${p.requireAuthToken}, require_auth_token),
      notification_ttl_seconds = coalesce(${p.notificationTtlSeconds}, notification_ttl_seconds),
      quiet_delivery = coalesce(${p.quietDelivery}, quiet_delivery),
      badge = coalesce(${p.badge}, badge),
      burst_window_seconds = coalesce(${p.burstWindowSeconds}, burst_window_seconds),
      default_locale = coalesce(${p.defaultLocale}, default_locale),
      webhook_url = case when ${p.changesWebhook} then ${p.webhookUrl} else webhook_url end,
      webhook_timeout_ms = case when ${p.changesWebhook} then ${p.webhookTimeoutMs} else webhook_timeout_ms end,
      webhook_fallback = case when ${p.changesWebhook} then ${p.webhookFallback} else webhook_fallback end,
      webhook_event_types = case when ${p.changesWebhook} then ${p.webhookEventTypes} else webhook_event_types end,
      webhook_other_events = case when ${p.changesWebhook} then ${p.webhookOtherEvents} else webhook_other_events end,
      webhook_disable_after_failures = case when ${p.changesWebhook}
        then ${p.webhookDisableAfterFailures} else webhook_disable_after_failures end,
      webhook_disable_after_seconds = case when ${p.changesWebhook}
        then ${p.webhookDisableAfterSeconds} else webhook_disable_after_seconds end,
      webhook_disabled_at = case when ${p.changesWebhookDisabled}
        then ${p.webhookDisabledAt} else webhook_disabled_at end,
      webhook_disabled_reason = case when ${p.changesWebhookDisabled}
        then ${p.webhookDisabledReason} else webhook_disabled_reason end,
      webhook_disabled_by = case when ${p.changesWebhookDisabled}
        then ${p.webhookDisabledBy} else webhook_disabled_by end,
      status_callback_url = case when ${p.changesStatusCallback}
        then ${p.statusCallbackUrl} else status_callback_url end,
      status_callback_events = case when ${p.changesStatusCallback}
        then ${p.statusCallbackEvents} else status_callback_events end,
      fcm_service_account_sealed = case when ${p.changesFcm}
        then ${p.fcmServiceAccountSealed} else fcm_service_account_sealed end,
      fcm_project_id = case when ${p.changesFcm} then ${p.fcmProjectId} else fcm_project_id end,
      apns_team_id = case when ${p.changesApns} then ${p.apnsTeamId} else apns_team_id end,
      apns_key_id = case when ${p.changesApns} then ${p.apnsKeyId} else apns_key_id end,
      apns_bundle_id = case when ${p.changesApns} then ${p.apnsBundleId} else apns_bundle_id end,
      apns_private_key_sealed = case when ${p.changesApns}
        then ${p.apnsPrivateKeySealed} else apns_private_key_sealed end,
      webpush_subject = case when ${p.changesWebPush} then ${p.webpushSubject} else webpush_subject end,
      webpush_public_key = case when ${p.changesWebPush} then ${p.webpushPublicKey} else webpush_public_key end,
      webpush_private_key_sealed = case when ${p.changesWebPush}
        then ${p.webpushPrivateKeySealed} else webpush_private_key_sealed end,
      variants_sealed = case when ${p.changesVariants} then ${p.variantsSealed} else variants_sealed end,
      updated_at = ${p.updatedAt}
    where id = ${p.id}
    returning ${appColumns}`,
);

/**
 * The breaker's own writes, each conditional so that of several workers only one turns the
 * webhook off (and sends one callback), and an operator's choice is never undone by a probe.
 */
const disableWebhook = statement<{ id: string; updatedAt: Date } & WebhookDisabledColumns, AppRow>(
  "apps.disable_webhook",
  (p) => sql`update apps set webhook_disabled_at = ${p.webhookDisabledAt},
      webhook_disabled_reason = ${p.webhookDisabledReason}, webhook_disabled_by = ${p.webhookDisabledBy},
      updated_at = ${p.updatedAt}
    where id = ${p.id} and webhook_url is not null and webhook_disabled_at is null
    returning ${appColumns}`,
);

const enableWebhookAfterFailures = statement<{ id: string; updatedAt: Date }, AppRow>(
  "apps.enable_webhook_after_failures",
  (
    p,
  ) => sql`update apps set webhook_disabled_at = null, webhook_disabled_reason = null, webhook_disabled_by = null,
      updated_at = ${p.updatedAt}
    where id = ${p.id} and webhook_disabled_by = 'failures'
    returning ${appColumns}`,
);

const deleteApp = statement<{ id: string }>("apps.delete", (p) => sql`delete from apps where id = ${p.id}`);

const findActiveSecrets = statement<
  { appId: string; kind: SecretKind; now: Date },
  { sealed: string; expires_at: unknown }
>(
  "apps.active_secrets",
  (p) => sql`select sealed, expires_at from app_secrets
    where app_id = ${p.appId} and kind = ${p.kind} and (expires_at is null or expires_at > ${p.now})
    order by id desc`,
);

const expireCurrentSecret = statement<{ appId: string; kind: SecretKind; expiresAt: Date }>(
  "apps.expire_current_secret",
  (p) => sql`update app_secrets set expires_at = ${p.expiresAt}
    where app_id = ${p.appId} and kind = ${p.kind} and expires_at is null`,
);

const deleteExpiredSecrets = statement<{ now: Date }>(
  "apps.delete_expired_secrets",
  (p) => sql`delete from app_secrets where expires_at <= ${p.now}`,
);

function webhookColumns(webhook: WebhookSettings | null): WebhookColumns {
  return {
    webhookUrl: webhook?.url ?? null,
    webhookTimeoutMs: webhook?.timeoutMs ?? null,
    webhookFallback: webhook?.fallback ?? null,
    webhookEventTypes: webhook?.eventTypes ? JSON.stringify(webhook.eventTypes) : null,
    webhookOtherEvents: webhook?.otherEvents ?? null,
    webhookDisableAfterFailures: webhook?.disableAfterFailures ?? null,
    webhookDisableAfterSeconds: webhook ? Math.round(webhook.disableAfterMinutes * 60) : null,
  };
}

function webhookDisabledColumns(disabled: WebhookDisabled | null): WebhookDisabledColumns {
  return {
    webhookDisabledAt: disabled?.at ?? null,
    webhookDisabledReason: disabled?.reason ?? null,
    webhookDisabledBy: disabled?.by ?? null,
  };
}

function toWebhook(row: AppRow): WebhookSettings | null {
  if (row.webhook_url === null) return null;
  const disabledAt = readOptionalTime(row.webhook_disabled_at);
  return {
    url: row.webhook_url,
    timeoutMs: row.webhook_timeout_ms ?? 5000,
    fallback: row.webhook_fallback ?? "drop",
    eventTypes:
      row.webhook_event_types === null ? null : (JSON.parse(row.webhook_event_types) as LiveEventType[]),
    otherEvents: row.webhook_other_events ?? "direct",
    disableAfterFailures: row.webhook_disable_after_failures ?? webhookBreakerDefaults.disableAfterFailures,
    disableAfterMinutes:
      row.webhook_disable_after_seconds === null
        ? webhookBreakerDefaults.disableAfterMinutes
        : row.webhook_disable_after_seconds / 60,
    disabled: disabledAt && {
      at: disabledAt,
      reason: row.webhook_disabled_reason ?? "",
      by: row.webhook_disabled_by ?? "operator",
    },
  };
}

function statusCallbackColumns(callback: StatusCallbackSettings | null): StatusCallbackColumns {
  return {
    statusCallbackUrl: callback?.url ?? null,
    statusCallbackEvents: callback ? JSON.stringify(callback.events) : null,
  };
}

function fcmColumns(secretBox: SecretBox, fcm: FcmServiceAccount | null): FcmColumns {
  return {
    fcmServiceAccountSealed: fcm ? secretBox.seal(JSON.stringify(fcm)) : null,
    fcmProjectId: fcm?.project_id ?? null,
  };
}

function apnsColumns(secretBox: SecretBox, apns: ApnsCredentials | null): ApnsColumns {
  return {
    apnsTeamId: apns?.teamId ?? null,
    apnsKeyId: apns?.keyId ?? null,
    apnsBundleId: apns?.bundleId ?? null,
    apnsPrivateKeySealed: apns ? secretBox.seal(apns.privateKey) : null,
  };
}

function webPushColumns(secretBox: SecretBox, webpush: WebPushCredentials | null): WebPushColumns {
  return {
    webpushSubject: webpush?.subject ?? null,
    webpushPublicKey: webpush?.vapidPublicKey ?? null,
    webpushPrivateKeySealed: webpush ? secretBox.seal(webpush.vapidPrivateKey) : null,
  };
}

function variantColumns(secretBox: SecretBox, variants: Record<string, AppVariant>): VariantColumns {
  return {
    variantsSealed: Object.keys(variants).length === 0 ? null : secretBox.seal(JSON.stringify(variants)),
  };
}

function toApp(secretBox: SecretBox, row: AppRow): App {
  return {
    id: row.id,
    name: row.name,
    mode: row.mode,
    pushEnabled: readBoolean(row.push_enabled),
    requireAuthToken: readBoolean(row.require_auth_token),
    notificationTtlSeconds: row.notification_ttl_seconds,
    quietDelivery: row.quiet_delivery,
    badge: row.badge,
    burstWindowSeconds: row.burst_window_seconds,
    defaultLocale: row.default_locale,
    apiKey: row.api_key,
    webhook: toWebhook(row),
    statusCallback:
      row.status_callback_url === null
        ? null
        : {
            url: row.status_callback_url,
            events: JSON.parse(row.status_callback_events ?? "[]") as StatusCallbackType[],
          },
    fcm: row.fcm_service_account_sealed
      ? (JSON.parse(secretBox.open(row.fcm_service_account_sealed)) as FcmServiceAccount)
      : null,
    apns:
      row.apns_private_key_sealed && row.apns_team_id && row.apns_key_id && row.apns_bundle_id
        ? {
            teamId: row.apns_team_id,
            keyId: row.apns_key_id,
            bundleId: row.apns_bundle_id,
            privateKey: secretBox.open(row.apns_private_key_sealed),
          }
        : null,
    webpush:
      row.webpush_subject && row.webpush_public_key && row.webpush_private_key_sealed
        ? {
            subject: row.webpush_subject,
            vapidPublicKey: row.webpush_public_key,
            vapidPrivateKey: secretBox.open(row.webpush_private_key_sealed),
          }
        : null,
    variants: row.variants_sealed
      ? (JSON.parse(secretBox.open(row.variants_sealed)) as Record<string, AppVariant>)
      : {},
    createdAt: readTime(row.created_at),
    updatedAt: readTime(row.updated_at),
  };
}

export class SqlAppRepository implements AppRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly secretBox: SecretBox,
  ) {}

  /** One transaction, so an app never exists without its secrets. */
  async create(app: App, secrets: AppSecrets): Promise<void> {
    const initialSecrets: [SecretKind, string][] = [
      ["server_key", secrets.serverKey],
      ["event_secret", secrets.eventSecret],
      ["webhook_secret", secrets.webhookSecret],
    ];
    await this.db.transaction(async (tx) => {
      await tx.run(insertApp, {
        id: app.id,
        name: app.name,
        mode: app.mode,
        pushEnabled: app.pushEnabled,
        requireAuthToken: app.requireAuthToken,
        notificationTtlSeconds: app.notificationTtlSeconds,
        quietDelivery: app.quietDelivery,
        badge: app.badge,
        burstWindowSeconds: app.burstWindowSeconds,
        defaultLocale: app.defaultLocale,
        apiKey: app.apiKey,
        ...webhookColumns(app.webhook),
        ...webhookDisabledColumns(app.webhook?.disabled ?? null),
        ...statusCallbackColumns(app.statusCallback),
        ...fcmColumns(this.secretBox, app.fcm),
        ...webPushColumns(this.secretBox, app.webpush),
        ...apnsColumns(this.secretBox, app.apns),
        ...variantColumns(this.secretBox, app.variants),
        createdAt: app.createdAt,
        updatedAt: app.updatedAt,
      });
      await tx.run(insertSecrets, {
        appId: app.id,
        secretsJson: JSON.stringify(initialSecrets.map(([kind, value]) => this.secretValues(kind, value))),
        createdAt: app.createdAt,
      });
    });
  }

  async findById(id: string): Promise<App | null> {
    const row = await this.db.get(findById, { id });
    return row ? toApp(this.secretBox, row) : null;
  }

  async findByApiKey(apiKey: string): Promise<App | null> {
    const row = await this.db.get(findByApiKey, { apiKey });
    return row ? toApp(this.secretBox, row) : null;
  }

  async findIdByServerKey(serverKey: string, now: Date): Promise<string | null> {
    const row = await this.db.get(findIdByServerKeyDigest, { digest: credentialDigest(serverKey), now });
    return row?.app_id ?? null;
  }

  async list(): Promise<App[]> {
    const rows = await this.db.all(listApps, {});
    return rows.map((row) => toApp(this.secretBox, row));
  }

  /** One statement: what the change leaves out is kept by the database, not read and written back. */
  async update(id: string, changes: AppChanges): Promise<App | null> {
    const row = await this.db.get(updateApp, {
      id,
      name: changes.name,
      mode: changes.mode,
      pushEnabled: changes.pushEnabled,
      requireAuthToken: changes.requireAuthToken,
      notificationTtlSeconds: changes.notificationTtlSeconds,
      quietDelivery: changes.quietDelivery,
      badge: changes.badge,
      burstWindowSeconds: changes.burstWindowSeconds,
      defaultLocale: changes.defaultLocale,
      changesWebhook: changes.webhook !== undefined,
      ...webhookColumns(changes.webhook ?? null),
      changesWebhookDisabled: changes.webhookDisabled !== undefined,
      ...webhookDisabledColumns(changes.webhookDisabled ?? null),
      changesStatusCallback: changes.statusCallback !== undefined,
      ...statusCallbackColumns(changes.statusCallback ?? null),
      changesFcm: changes.fcm !== undefined,
      ...fcmColumns(this.secretBox, changes.fcm ?? null),
      changesApns: changes.apns !== undefined,
      ...apnsColumns(this.secretBox, changes.apns ?? null),
      changesWebPush: changes.webpush !== undefined,
      ...webPushColumns(this.secretBox, changes.webpush ?? null),
      changesVariants: changes.variants !== undefined,
      ...variantColumns(this.secretBox, changes.variants ?? {}),
      updatedAt: changes.updatedAt,
    });
    return row ? toApp(this.secretBox, row) : null;
  }

  async disableWebhook(id: string, disabled: WebhookDisabled): Promise<App | null> {
    const row = await this.db.get(disableWebhook, {
      id,
      updatedAt: disabled.at,
      ...webhookDisabledColumns(disabled),
    });
    return row ? toApp(this.secretBox, row) : null;
  }

  async enableWebhookAfterFailures(id: string, at: Date): Promise<App | null> {
    const row = await this.db.get(enableWebhookAfterFailures, { id, updatedAt: at });
    return row ? toApp(this.secretBox, row) : null;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run(deleteApp, { id })) > 0;
  }

  async activeSecrets(appId: string, kind: SecretKind, now: Date): Promise<ActiveSecret[]> {
    const rows = await this.db.all(findActiveSecrets, { appId, kind, now });
    return rows.map((row) => ({
      value: this.secretBox.open(row.sealed),
      expiresAt: readOptionalTime(row.expires_at),
    }));
  }

  /**
   * Serializable, because the new secret must become the only current one: two rotations at
   * once would otherwise each expire the secret current when they began and both insert one,
   * leaving two that never expire. SQLite's writer lock already orders them; PostgreSQL
   * aborts the second and runs it again, when it sees the first one's secret.
   */
  async rotateSecret(
    appId: string,
    kind: SecretKind,
    secret: string,
    previousValidUntil: Date,
  ): Promise<void> {
    const secretsJson = JSON.stringify([this.secretValues(kind, secret)]);
    const createdAt = new Date();
    await this.db.transaction(
      async (tx) => {
        await tx.run(expireCurrentSecret, { appId, kind, expiresAt: previousValidUntil });
        await tx.run(insertSecrets, { appId, secretsJson, createdAt });
      },
      { serializable: true },
    );
  }

  async purgeExpiredSecrets(now: Date): Promise<number> {
    return this.db.run(deleteExpiredSecrets, { now });
  }

  private secretValues(kind: SecretKind, value: string): SecretValues {
    return { kind, digest: credentialDigest(value), sealed: this.secretBox.seal(value) };
  }
}
