import { and, desc, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import type { ActiveSecret, App, AppSecrets, SecretKind } from "../../domain/apps/app.js";
import type { AppChanges, AppRepository } from "../../domain/apps/app-repository.js";
import { credentialDigest } from "../../security/credentials.js";
import type { SecretBox } from "../../security/secret-box.js";
import {
  initialSecrets,
  secretRow,
  toActiveSecret,
  toApp,
  toAppRow,
  unexpiredSecrets,
} from "../mapping/apps.js";
import type { PostgresDb } from "./postgres-store.js";
import { appSecrets, apps } from "./schema/index.js";
import { serializable } from "./serializable.js";

export class PostgresAppRepository implements AppRepository {
  /** Every job reads its app, every event its secrets: parsed once per connection. */
  private readonly findByIdStatement;
  private readonly activeSecretsStatement;

  constructor(
    private readonly db: PostgresDb,
    private readonly secretBox: SecretBox,
  ) {
    this.findByIdStatement = db
      .select()
      .from(apps)
      .where(eq(apps.id, sql.placeholder("id")))
      .prepare("apps_find_by_id");
    this.activeSecretsStatement = db
      .select({ sealed: appSecrets.sealed, expiresAt: appSecrets.expiresAt })
      .from(appSecrets)
      .where(unexpiredSecrets(appSecrets, sql`${sql.placeholder("now")}`))
      .orderBy(desc(appSecrets.id))
      .prepare("app_active_secrets");
  }

  async create(app: App, secrets: AppSecrets): Promise<void> {
    const createdAt = app.createdAt;
    await this.db.transaction(async (tx) => {
      await tx.insert(apps).values({
        ...(toAppRow(this.secretBox, app) as typeof apps.$inferInsert),
        id: app.id,
        apiKey: app.apiKey,
        createdAt,
      });
      await tx
        .insert(appSecrets)
        .values(
          initialSecrets(secrets).map(([kind, value]) =>
            secretRow(this.secretBox, app.id, kind, value, createdAt),
          ),
        );
    });
  }

  async findById(id: string): Promise<App | null> {
    const [row] = await this.findByIdStatement.execute({ id });
    return row ? toApp(this.secretBox, row) : null;
  }

  async findByApiKey(apiKey: string): Promise<App | null> {
    const [row] = await this.db.select().from(apps).where(eq(apps.apiKey, apiKey));
    return row ? toApp(this.secretBox, row) : null;
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
    return rows.map((row) => toApp(this.secretBox, row));
  }

  async update(id: string, changes: AppChanges): Promise<App | null> {
    const [row] = await this.db
      .update(apps)
      .set(toAppRow(this.secretBox, changes))
      .where(eq(apps.id, id))
      .returning();
    return row ? toApp(this.secretBox, row) : null;
  }

  async delete(id: string): Promise<boolean> {
    const removed = await this.db.delete(apps).where(eq(apps.id, id)).returning({ id: apps.id });
    return removed.length > 0;
  }

  async activeSecrets(appId: string, kind: SecretKind, now: Date): Promise<ActiveSecret[]> {
    const rows = await this.activeSecretsStatement.execute({ appId, kind, now });
    return rows.map((row) => toActiveSecret(this.secretBox, row));
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
      await tx.insert(appSecrets).values(secretRow(this.secretBox, appId, kind, secret, now));
    });
  }

  async purgeExpiredSecrets(now: Date): Promise<number> {
    const purged = await this.db
      .delete(appSecrets)
      .where(lte(appSecrets.expiresAt, now))
      .returning({ id: appSecrets.id });
    return purged.length;
  }
}
