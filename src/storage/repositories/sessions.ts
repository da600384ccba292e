import { sql } from "drizzle-orm";
import { batchPerTurn } from "../../common/batch-per-turn.js";
import type { Session } from "../../domain/sessions/session.js";
import type { SessionRepository } from "../../domain/sessions/session-repository.js";
import { credentialDigest } from "../../security/credentials.js";
import type { SqlDatabase } from "../sql/database.js";
import { statement } from "../sql/statement.js";
import { readTime } from "../sql/values.js";
import { deleteSessionDevices, deleteSessionSyncBindings } from "./devices.js";

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

/** The sessions of the tokens that the requests of one event-loop turn present, unexpired at the earliest `now`. */
const findUnexpiredByDigests = statement<
  { tokenDigests: string[]; now: Date },
  SessionRow & { token_digest: string }
>(
  "sessions.find_unexpired_by_digests",
  (
    p,
    d,
  ) => sql`select id, app_id, user_id, client_device_id, created_at, expires_at, token_digest from sessions
    where token_digest in ${d.list(p.tokenDigests)} and expires_at > ${p.now}`,
);

const findActive = statement<{ sessionId: string; now: Date }, { id: string }>(
  "sessions.find_active",
  (p) => sql`select id from sessions where id = ${p.sessionId} and expires_at > ${p.now}`,
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

interface TokenLookup {
  tokenDigest: string;
  now: Date;
}

export class SqlSessionRepository implements SessionRepository {
  private readonly findBatched: (lookup: TokenLookup) => Promise<Session | null>;

  constructor(private readonly db: SqlDatabase) {
    this.findBatched = batchPerTurn((lookups: TokenLookup[]) => this.findMany(lookups));
  }

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

  /** Every client request looks its session up: those of one event-loop turn share a statement. */
  findByToken(token: string, now: Date): Promise<Session | null> {
    return this.findBatched({ tokenDigest: credentialDigest(token), now });
  }

  private async findMany(lookups: TokenLookup[]): Promise<(Session | null)[]> {
    const earliest = new Date(Math.min(...lookups.map((lookup) => lookup.now.getTime())));
    const rows = await this.db.all(findUnexpiredByDigests, {
      tokenDigests: [...new Set(lookups.map((lookup) => lookup.tokenDigest))],
      now: earliest,
    });
    const byDigest = new Map(rows.map((row) => [row.token_digest, toSession(row)]));
    return lookups.map(({ tokenDigest, now }) => {
      const session = byDigest.get(tokenDigest);
      return session && session.expiresAt > now ? session : null;
    });
  }

  async isActive(sessionId: string, now: Date): Promise<boolean> {
    return (await this.db.get(findActive, { sessionId, now })) !== undefined;
  }

  async end(sessionId: string): Promise<void> {
    // Serializable: a registration through this session committing meanwhile would otherwise
    // keep its device, its session reference set to null by the session's deletion.
    await this.db.transaction(
      async (tx) => {
        await tx.run(deleteSessionDevices, { sessionId });
        await tx.run(deleteSessionSyncBindings, { sessionId });
        await tx.run(deleteSession, { sessionId });
      },
      { serializable: true },
    );
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.db.run(deleteExpired, { now });
  }
}
