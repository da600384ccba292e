import { sql } from "drizzle-orm";
import type { Session } from "../../domain/sessions/session.js";
import type { SessionRepository } from "../../domain/sessions/session-repository.js";
import { credentialDigest } from "../../security/credentials.js";
import type { SqlDatabase } from "../sql/database.js";
import { statement } from "../sql/statement.js";
import { readTime } from "../sql/values.js";

interface SessionRow {
  id: string;
  app_id: string;
  user_id: string;
  client_device_id: string | null;
  created_at: unknown;
  expires_at: unknown;
}

const insert = statement<{
  id: string;
  appId: string;
  userId: string;
  /** SHA-256 of the `sess_…` token: the token itself is never stored. */
  tokenDigest: string;
  clientDeviceId: string | null;
  createdAt: Date;
  expiresAt: Date;
}>(
  "sessions.insert",
  (
    p,
  ) => sql`insert into sessions (id, app_id, user_id, token_digest, client_device_id, created_at, expires_at)
    values (${p.id}, ${p.appId}, ${p.userId}, ${p.tokenDigest}, ${p.clientDeviceId}, ${p.createdAt}, ${p.expiresAt})`,
);

const findUnexpiredByDigest = statement<{ tokenDigest: string; now: Date }, SessionRow>(
  "sessions.find_unexpired_by_digest",
  (p) => sql`select id, app_id, user_id, client_device_id, created_at, expires_at from sessions
    where token_digest = ${p.tokenDigest} and expires_at > ${p.now}`,
);

const deleteDevicesOfSession = statement<{ sessionId: string }>(
  "sessions.delete_devices",
  (p) => sql`delete from devices where session_id = ${p.sessionId}`,
);

const deleteSession = statement<{ sessionId: string }>(
  "sessions.delete",
  (p) => sql`delete from sessions where id = ${p.sessionId}`,
);

const deleteExpired = statement<{ now: Date }>(
  "sessions.delete_expired",
  (p) => sql`delete from sessions where expires_at <= ${p.now}`,
);

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    appId: row.app_id,
    userId: row.user_id,
    deviceId: row.client_device_id,
    createdAt: readTime(row.created_at),
    expiresAt: readTime(row.expires_at),
  };
}

export class SqlSessionRepository implements SessionRepository {
  constructor(private readonly db: SqlDatabase) {}

  async create(session: Session, token: string): Promise<void> {
    await this.db.run(insert, {
      id: session.id,
      appId: session.appId,
      userId: session.userId,
      tokenDigest: credentialDigest(token),
      clientDeviceId: session.deviceId,
      createdAt: session.createdAt,
      expiresAt: session.expiresAt,
    });
  }

  async findByToken(token: string, now: Date): Promise<Session | null> {
    const row = await this.db.get(findUnexpiredByDigest, { tokenDigest: credentialDigest(token), now });
    return row ? toSession(row) : null;
  }

  async end(sessionId: string): Promise<void> {
    // Serializable: a registration through this session committing meanwhile would otherwise
    // keep its device, its session reference set to null by the session's deletion.
    await this.db.transaction(
      async (tx) => {
        await tx.run(deleteDevicesOfSession, { sessionId });
        await tx.run(deleteSession, { sessionId });
      },
      { serializable: true },
    );
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.db.run(deleteExpired, { now });
  }
}
