import { newId, newSessionToken } from "../../security/credentials.js";
import type { App } from "../apps/app.js";
import type { AppRepository } from "../apps/app-repository.js";
import type { Clock } from "../clock.js";
import type { NotificationSettingsRepository } from "../notification-settings/notification-settings-repository.js";
import { verifyAuthToken } from "./auth-token.js";
import { AuthenticationError, type Session } from "./session.js";
import type { SessionRepository } from "./session-repository.js";

export interface SignIn {
  userId: string;
  authToken?: string;
  deviceId?: string;
  /** The user's language, canonical BCP 47: replaces the one in the user's notification settings. */
  locale?: string;
}

export interface SessionServiceOptions {
  ttlSeconds: number;
  /** How far ahead an `auth_token` may expire. */
  authTokenMaxLifetimeSeconds: number;
  clock: Clock;
}

export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly apps: AppRepository,
    private readonly notificationSettings: NotificationSettingsRepository,
    private readonly options: SessionServiceOptions,
  ) {}

  /**
   * Checks that the customer server vouches for the user (its JWT), as the app requires; a
   * given `auth_token` is checked even when the app does not require one.
   */
  async authenticate(app: App, request: SignIn): Promise<void> {
    const now = this.options.clock.now();
    if (request.authToken !== undefined) {
      const serverKeys = await this.apps.activeSecrets(app.id, "server_key", now);
      await verifyAuthToken(
        request.authToken,
        request.userId,
        serverKeys.map((key) => key.value),
        now,
        this.options.authTokenMaxLifetimeSeconds,
      );
    } else if (app.requireAuthToken) {
      throw new AuthenticationError(
        "this app requires an auth_token: a JWT (HS256) signed with its server key, sub = user_id",
      );
    }
  }

  /** Opens a session for a user `authenticate` accepted, and keeps the language the client names. */
  async open(app: App, request: SignIn): Promise<{ session: Session; token: string }> {
    const now = this.options.clock.now();
    const session: Session = {
      id: newId("session"),
      appId: app.id,
      userId: request.userId,
      deviceId: request.deviceId ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.options.ttlSeconds * 1000),
    };
    const token = newSessionToken();
    await this.sessions.create(session, token);
    if (request.locale !== undefined) {
      await this.notificationSettings.changeUserSettings(app.id, request.userId, { locale: request.locale });
    }
    return { session, token };
  }

  signOut(session: Session): Promise<void> {
    return this.sessions.end(session.id);
  }
}
