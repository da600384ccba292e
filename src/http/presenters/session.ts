import type { Session } from "../../domain/sessions/session.js";
import type { NewSessionResponse } from "../schemas/sessions.js";

export function presentNewSession(session: Session, token: string): NewSessionResponse {
  return {
    session_token: token,
    session_id: session.id,
    user_id: session.userId,
    expires_at: session.expiresAt.toISOString(),
  };
}
