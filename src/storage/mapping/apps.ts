import { and, type Column, eq, gt, isNull, or, type SQL, sql } from "drizzle-orm";
import type {
  ActiveSecret,
  App,
  AppSecrets,
  FcmServiceAccount,
  SecretKind,
  WebhookFallback,
} from "../../domain/apps/app.js";
import type { AppChanges } from "../../domain/apps/app-repository.js";
import { credentialDigest } from "../../security/credentials.js";
import type { SecretBox } from "../../security/secret-box.js";

/** The columns of an `apps` row, as both stores read them: the app's own, flat settings and sealed secrets. */
export type AppRow = Pick<
  App,
  | "id"
  | "name"
  | "mode"
  | "pushEnabled"
  | "requireAuthToken"
  | "notificationTtlSeconds"
  | "apiKey"
  | "createdAt"
  | "updatedAt"
> & {
  webhookUrl: string | null;
  webhookTimeoutMs: number | null;
  webhookFallback: WebhookFallback | null;
  /** Sealed (SecretBox) JSON of the FCM service account. */
  fcmServiceAccountSealed: string | null;
  fcmProjectId: string | null;
  apnsTeamId: string | null;
  apnsKeyId: string | null;
  apnsBundleId: string | null;
  /** Sealed (SecretBox) PEM of the APNs p8 key. */
  apnsPrivateKeySealed: string | null;
};

/** The columns an `AppChanges` sets: those it names, the secrets sealed. */
export type AppRowChanges = Partial<Omit<AppRow, "id" | "apiKey" | "createdAt">>;

/** An `app_secrets` row to insert. */
export interface AppSecretRow {
  appId: string;
  kind: SecretKind;
  digest: string;
  sealed: string;
  createdAt: Date;
}

/**
 * The secrets of one kind of an app that have not expired, for a prepared statement
 * (`appId`, `kind`); `now` is bound the way the store keeps its times.
 */
export function unexpiredSecrets(
  table: { appId: Column; kind: Column; expiresAt: Column },
  now: SQL,
): SQL | undefined {
  return and(
    eq(table.appId, sql.placeholder("appId")),
    eq(table.kind, sql.placeholder("kind")),
    or(isNull(table.expiresAt), gt(table.expiresAt, now)),
  );
}

/** The secrets an app is created with, each under its kind. */
export function initialSecrets(secrets: AppSecrets): [SecretKind, string][] {
  return [
    ["server_key", secrets.serverKey],
    ["event_secret", secrets.eventSecret],
    ["webhook_secret", secrets.webhookSecret],
  ];
}

export function secretRow(
  secretBox: SecretBox,
  appId: string,
  kind: SecretKind,
  value: string,
  createdAt: Date,
): AppSecretRow {
  return { appId, kind, digest: credentialDigest(value), sealed: secretBox.seal(value), createdAt };
}

export function toAppRow(secretBox: SecretBox, app: AppChanges): AppRowChanges {
  const row: AppRowChanges = {
    name: app.name,
    mode: app.mode,
    pushEnabled: app.pushEnabled,
    requireAuthToken: app.requireAuthToken,
    notificationTtlSeconds: app.notificationTtlSeconds,
    updatedAt: app.updatedAt,
  };
  if (app.webhook !== undefined) {
    row.webhookUrl = app.webhook?.url ?? null;
    row.webhookTimeoutMs = app.webhook?.timeoutMs ?? null;
    row.webhookFallback = app.webhook?.fallback ?? null;
  }
  if (app.fcm !== undefined) {
    row.fcmServiceAccountSealed = app.fcm ? secretBox.seal(JSON.stringify(app.fcm)) : null;
    row.fcmProjectId = app.fcm?.project_id ?? null;
  }
  if (app.apns !== undefined) {
    row.apnsTeamId = app.apns?.teamId ?? null;
    row.apnsKeyId = app.apns?.keyId ?? null;
    row.apnsBundleId = app.apns?.bundleId ?? null;
    row.apnsPrivateKeySealed = app.apns ? secretBox.seal(app.apns.privateKey) : null;
  }
  return row;
}

export function toApp(secretBox: SecretBox, row: AppRow): App {
  return {
    id: row.id,
    name: row.name,
    mode: row.mode,
    pushEnabled: row.pushEnabled,
    requireAuthToken: row.requireAuthToken,
    notificationTtlSeconds: row.notificationTtlSeconds,
    apiKey: row.apiKey,
    webhook:
      row.webhookUrl === null
        ? null
        : {
            url: row.webhookUrl,
            timeoutMs: row.webhookTimeoutMs ?? 5000,
            fallback: row.webhookFallback ?? "drop",
          },
    fcm: row.fcmServiceAccountSealed
      ? (JSON.parse(secretBox.open(row.fcmServiceAccountSealed)) as FcmServiceAccount)
      : null,
    apns:
      row.apnsPrivateKeySealed && row.apnsTeamId && row.apnsKeyId && row.apnsBundleId
        ? {
            teamId: row.apnsTeamId,
            keyId: row.apnsKeyId,
            bundleId: row.apnsBundleId,
            privateKey: secretBox.open(row.apnsPrivateKeySealed),
          }
        : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toActiveSecret(
  secretBox: SecretBox,
  row: { sealed: string; expiresAt: Date | null },
): ActiveSecret {
  return { value: secretBox.open(row.sealed), expiresAt: row.expiresAt };
}
