import { and, desc, eq, gt, isNull, lte, or } from "drizzle-orm";
import type { ActiveSecret, App, AppSecrets, FcmServiceAccount, SecretKind } from "../../domain/apps/app.js";
import type { AppChanges, AppRepository } from "../../domain/apps/app-repository.js";
import { credentialDigest } from "../../security/credentials.js";
import type { SecretBox } from "../../security/secret-box.js";
import type { PostgresDb } from "./postgres-store.js";
import { appSecrets, apps } from "./schema/index.js";
import { serializable } from "./serializable.js";

type AppRow = typeof apps.$inferSelect;
type AppRowChanges = Partial<typeof apps.$inferInsert>;

export class PostgresAppRepository implements AppRepository {
  constructor(
    private readonly db: PostgresDb,
    private readonly secretBox: SecretBox,
  ) {}

  async create(app: App, secrets: AppSecrets): Promise<void> {
    const createdAt = app.createdAt;
    const initial: [SecretKind, string][] = [
      ["server_key", secrets.serverKey],
      ["event_secret", secrets.eventSecret],
      ["webhook_secret", secrets.webhookSecret],
    ];
    await this.db.transaction(async (tx) => {
      await tx.insert(apps).values({
        ...(this.toRow(app) as typeof apps.$inferInsert),
        id: app.id,
        apiKey: app.apiKey,
        createdAt,
      });
      await tx
        .insert(appSecrets)
        .values(initial.map(([kind, value]) => this.secretRow(app.id, kind, value, createdAt)));
    });
  }

  async findById(id: string): Promise<App | null> {
    const [row] = await this.db.select().from(apps).where(eq(apps.id, id));
    return row ? this.toApp(row) : null;
  }

  async findByApiKey(apiKey: string): Promise<App | null> {
    const [row] = await this.db.select().from(apps).where(eq(apps.apiKey, apiKey));
    return row ? this.toApp(row) : null;
  }

  async findIdByServerKey(serverKey: string, now: Date): Promise<string | null> {
    const [row] = await this.db
      .select({ appId: appSecrets.appId })
      .from(appSecrets)
      .where(
        and(
          eq(appSecrets.kind, "server_key"),
          eq(appSecrets.digest, credentialDigest(serverKey)),
          or(isNull(appSecrets.expiresAt), gt(appSecrets.expiresAt, now)),
        ),
      );
    return row?.appId ?? null;
  }

  async list(): Promise<App[]> {
    const rows = await this.db.select().from(apps).orderBy(apps.createdAt);
    return rows.map((row) => this.toApp(row));
  }

  async update(id: string, changes: AppChanges): Promise<App | null> {
    const [row] = await this.db.update(apps).set(this.toRow(changes)).where(eq(apps.id, id)).returning();
    return row ? this.toApp(row) : null;
  }

  async delete(id: string): Promise<boolean> {
    const removed = await this.db.delete(apps).where(eq(apps.id, id)).returning({ id: apps.id });
    return removed.length > 0;
  }

  async activeSecrets(appId: string, kind: SecretKind, now: Date): Promise<ActiveSecret[]> {
    const rows = await this.db
      .select({ sealed: appSecrets.sealed, expiresAt: appSecrets.expiresAt })
      .from(appSecrets)
      .where(
        and(
          eq(appSecrets.appId, appId),
          eq(appSecrets.kind, kind),
          or(isNull(appSecrets.expiresAt), gt(appSecrets.expiresAt, now)),
        ),
      )
      .orderBy(desc(appSecrets.id));
    return rows.map((row) => ({ value: this.secretBox.open(row.sealed), expiresAt: row.expiresAt }));
  }

  async rotateSecret(
    appId: string,
    kind: SecretKind,
    secret: string,
    previousValidUntil: Date,
  ): Promise<void> {
    const now = new Date();
    await serializable(this.db, async (tx) => {
      await tx
        .update(appSecrets)
        .set({ expiresAt: previousValidUntil })
        .where(and(eq(appSecrets.appId, appId), eq(appSecrets.kind, kind), isNull(appSecrets.expiresAt)));
      await tx.insert(appSecrets).values(this.secretRow(appId, kind, secret, now));
    });
  }

  async purgeExpiredSecrets(now: Date): Promise<number> {
    const purged = await this.db
      .delete(appSecrets)
      .where(lte(appSecrets.expiresAt, now))
      .returning({ id: appSecrets.id });
    return purged.length;
  }

  private secretRow(appId: string, kind: SecretKind, value: string, createdAt: Date) {
    return { appId, kind, digest: credentialDigest(value), sealed: this.secretBox.seal(value), createdAt };
  }

  private toRow(app: AppChanges): AppRowChanges {
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
      row.fcmServiceAccountSealed = app.fcm ? this.secretBox.seal(JSON.stringify(app.fcm)) : null;
      row.fcmProjectId = app.fcm?.project_id ?? null;
    }
    if (app.apns !== undefined) {
      row.apnsTeamId = app.apns?.teamId ?? null;
      row.apnsKeyId = app.apns?.keyId ?? null;
      row.apnsBundleId = app.apns?.bundleId ?? null;
      row.apnsPrivateKeySealed = app.apns ? this.secretBox.seal(app.apns.privateKey) : null;
    }
    return row;
  }

  private toApp(row: AppRow): App {
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
        ? (JSON.parse(this.secretBox.open(row.fcmServiceAccountSealed)) as FcmServiceAccount)
        : null,
      apns:
        row.apnsPrivateKeySealed && row.apnsTeamId && row.apnsKeyId && row.apnsBundleId
          ? {
              teamId: row.apnsTeamId,
              keyId: row.apnsKeyId,
              bundleId: row.apnsBundleId,
              privateKey: this.secretBox.open(row.apnsPrivateKeySealed),
            }
          : null,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}
