import type { Session } from "../../domain/sessions/session.js";
import { credentialDigest } from "../../security/credentials.js";

/** A `sessions` row, as both stores read and write it. */
export interface SessionRow {
  id: string;
  appId: string;
  userId: string;
  /** SHA-256 of the `sess_…` token: the token itself is never stored. */
  tokenDigest: string;
  clientDeviceId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export function toSessionRow(session: Session, token: string): SessionRow {
  return {
    id: session.id,
    appId: session.appId,
    userId: session.userId,
    tokenDigest: credentialDigest(token),
    clientDeviceId: session.deviceId,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
  };
}

export function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    appId: row.appId,
    userId: row.userId,
    deviceId: row.clientDeviceId,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}
