import { and, eq, gt, lte } from "drizzle-orm";
import type { Session } from "../../domain/sessions/session.js";
import type { SessionRepository } from "../../domain/sessions/session-repository.js";
import { credentialDigest } from "../../security/credentials.js";
import { toSession, toSessionRow } from "../mapping/sessions.js";
import { devices, sessions } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

export class SqliteSessionRepository implements SessionRepository {
  constructor(private readonly db: SqliteDb) {}

  async create(session: Session, token: string): Promise<void> {
    this.db.insert(sessions).values(toSessionRow(session, token)).run();
  }

  async findByToken(token: string, now: Date): Promise<Session | null> {
    const row = this.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.tokenDigest, credentialDigest(token)), gt(sessions.expiresAt, now)))
      .get();
    return row ? toSession(row) : null;
  }

  async end(sessionId: string): Promise<void> {
    this.db.transaction(
      (tx) => {
        tx.delete(devices).where(eq(devices.sessionId, sessionId)).run();
        tx.delete(sessions).where(eq(sessions.id, sessionId)).run();
      },
      { behavior: "immediate" },
    );
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.db.delete(sessions).where(lte(sessions.expiresAt, now)).run().changes;
  }
}
