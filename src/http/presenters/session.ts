import type { Session } from "../../domain/sessions/session.js";

export function presentNewSession(session: Session, token: string) {
  return {
    session_token: token,
    session_id: session.id,
    user_id: session.userId,
    expires_at: session.expiresAt.toISOString(),
  };
}
