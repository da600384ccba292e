import type { Session } from "./session.js";

export interface SessionRepository {
  /** Stores the session; the token itself is kept only as a digest. */
  create(session: Session, token: string): Promise<void>;
  /** The unexpired session this token opens. */
  findByToken(token: string, now: Date): Promise<Session | null>;
  /** Whether the session exists and has not expired at `now`. */
  isActive(sessionId: string, now: Date): Promise<boolean>;
  /** Deletes the session, every push token registered through it and every sync binding it vouched for, at once. */
  end(sessionId: string): Promise<void>;
  purgeExpired(now: Date): Promise<number>;
}
