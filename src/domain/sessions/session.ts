import { DomainError } from "../errors.js";

/** A signed-in client of one app (docs/api.md §4). */
export interface Session {
  id: string;
  appId: string;
  userId: string;
  /** The client's device id given at sign-in; registrations through the session default to it. */
  deviceId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** A credential was refused: the HTTP edge answers 401. */
export class AuthenticationError extends DomainError {
  override name = "AuthenticationError";
}
