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
import { appSecrets, apps } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

export class SqliteAppRepository implements AppRepository {
  /** Every job reads its app, every event its secrets: compiled once. */
  private readonly findByIdStatement;
  private readonly activeSecretsStatement;

  constructor(
    private readonly db: SqliteDb,
    private readonly secretBox: SecretBox,
  ) {
    this.findByIdStatement = db
      .select()
      .from(apps)
      .where(eq(apps.id, sql.placeholder("id")))
      .prepare();
    this.activeSecretsStatement = db
      .select({ sealed: appSecrets.sealed, expiresAt: appSecrets.expiresAt })
      .from(appSecrets)
      // Bound as epoch milliseconds, the column's storage.
      .where(unexpiredSecrets(appSecrets, sql`${sql.placeholder("nowMs")}`))
      .orderBy(desc(appSecrets.id))
      .prepare();
  }

  async create(app: App, secrets: AppSecrets): Promise<void> {
    const createdAt = app.createdAt;
    this.db.transaction((tx) => {
      tx.insert(apps)
        .values({
          ...(toAppRow(this.secretBox, app) as typeof apps.$inferInsert),
          id: app.id,
          apiKey: app.apiKey,
          createdAt,
        })
        .run();
      for (const [kind, value] of initialSecrets(secrets)) {
        tx.insert(appSecrets)
          .values(secretRow(this.secretBox, app.id, kind, value, createdAt))
          .run();
      }
    });
  }

  async findById(id: string): Promise<App | null> {
    const row = this.findByIdStatement.get({ id });
    return row ? toApp(this.secretBox, row) : null;
  }

  async findByApiKey(apiKey: string): Promise<App | null> {
    const row = this.db.select().from(apps).where(eq(apps.apiKey, apiKey)).get();
    return row ? toApp(this.secretBox, row) : null;
  }

  async findIdByServerKey(serverKey: string, now: Date): Promise<string | null> {
    const row = this.db
      .select({ appId: appSecrets.appId })
      .from(appSecrets)
      .where(
        and(
          eq(appSecrets.kind, "server_key"),
          eq(appSecrets.digest, credentialDigest(serverKey)),
          or(isNull(appSecrets.expiresAt), gt(appSecrets.expiresAt, now)),
        ),
      )
      .get();
    return row?.appId ?? null;
  }

  async list(): Promise<App[]> {
    return this.db
      .select()
      .from(apps)
      .orderBy(apps.createdAt)
      .all()
      .map((row) => toApp(this.secretBox, row));
  }

  async update(id: string, changes: AppChanges): Promise<App | null> {
    const row = this.db
      .update(apps)
      .set(toAppRow(this.secretBox, changes))
      .where(eq(apps.id, id))
      .returning()
      .get();
    return row ? toApp(this.secretBox, row) : null;
  }

  async delete(id: string): Promise<boolean> {
    return this.db.delete(apps).where(eq(apps.id, id)).run().changes > 0;
  }

  async activeSecrets(appId: string, kind: SecretKind, now: Date): Promise<ActiveSecret[]> {
    return this.activeSecretsStatement
      .all({ appId, kind, nowMs: now.getTime() })
      .map((row) => toActiveSecret(this.secretBox, row));
  }

  async rotateSecret(
    appId: string,
    kind: SecretKind,
    secret: string,
    previousValidUntil: Date,
  ): Promise<void> {
    const now = new Date();
    this.db.transaction((tx) => {
      tx.update(appSecrets)
        .set({ expiresAt: previousValidUntil })
        .where(and(eq(appSecrets.appId, appId), eq(appSecrets.kind, kind), isNull(appSecrets.expiresAt)))
        .run();
      tx.insert(appSecrets)
        .values(secretRow(this.secretBox, appId, kind, secret, now))
        .run();
    });
  }

  async purgeExpiredSecrets(now: Date): Promise<number> {
    return this.db.delete(appSecrets).where(lte(appSecrets.expiresAt, now)).run().changes;
  }
}
