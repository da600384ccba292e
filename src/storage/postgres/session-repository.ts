import { and, eq, gt, lte } from "drizzle-orm";
import type { Session } from "../../domain/sessions/session.js";
import type { SessionRepository } from "../../domain/sessions/session-repository.js";
import { credentialDigest } from "../../security/credentials.js";
import { toSession, toSessionRow } from "../mapping/sessions.js";
import type { PostgresDb } from "./postgres-store.js";
import { devices, sessions } from "./schema/index.js";
import { serializable } from "./serializable.js";

export class PostgresSessionRepository implements SessionRepository {
  constructor(private readonly db: PostgresDb) {}

  async create(session: Session, token: string): Promise<void> {
    await this.db.insert(sessions).values(toSessionRow(session, token));
  }

  async findByToken(token: string, now: Date): Promise<Session | null> {
    const [row] = await this.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.tokenDigest, credentialDigest(token)), gt(sessions.expiresAt, now)));
    return row ? toSession(row) : null;
  }

  /** Serializable: a registration through the session racing its end either lands first and goes, or is refused. */
  async end(sessionId: string): Promise<void> {
    await serializable(this.db, async (tx) => {
      await tx.delete(devices).where(eq(devices.sessionId, sessionId));
      await tx.delete(sessions).where(eq(sessions.id, sessionId));
    });
  }

  async purgeExpired(now: Date): Promise<number> {
    const purged = await this.db
      .delete(sessions)
      .where(lte(sessions.expiresAt, now))
      .returning({ id: sessions.id });
    return purged.length;
  }
}
