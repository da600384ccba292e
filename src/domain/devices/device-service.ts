import type { RecipientToken, TokenDirectory } from "../audience/audience.js";
import type { Clock } from "../clock.js";
import { InvalidInputError } from "../errors.js";
import { AuthenticationError, type Session } from "../sessions/session.js";
import type { SessionRepository } from "../sessions/session-repository.js";
import type { DeviceOwner, DeviceRegistration, DeviceTarget, PushToken } from "./device.js";
import type { DeviceRepository, SyncUser } from "./device-repository.js";
import type { SyncTokens } from "./sync-token.js";
import type { WebPushEndpointCheck } from "./web-push-endpoint.js";

/** Which tokens a signed-in client takes away from itself (docs/api.md §5). */
export type OwnTokensScope = { token: PushToken } | { all: boolean };

function ownerOf(session: Session): DeviceOwner {
  return { appId: session.appId, userId: session.userId, sessionId: session.id };
}

/** The device registry as the clients see it (docs/api.md §5). */
export class DeviceService {
  constructor(
    private readonly devices: DeviceRepository,
    private readonly tokens: TokenDirectory,
    private readonly syncTokens: SyncTokens,
    private readonly sessions: Pick<SessionRepository, "isActive">,
    private readonly clock: Clock,
    private readonly checkWebPushEndpoint: WebPushEndpointCheck,
    /** The names of an app's variants. */
    private readonly variantsOf: (appId: string) => Promise<string[]>,
  ) {}

  /** Binds the device to the caller alone, ending any sync bindings. */
  register(session: Session, registration: DeviceRegistration): Promise<void> {
    return this.bind(session, registration, []);
  }

  async unregisterOwn(session: Session, scope: OwnTokensScope): Promise<void> {
    if ("token" in scope) return this.devices.removeUserToken(session.appId, session.userId, scope.token);
    if (scope.all) return this.devices.removeUserDevices(session.appId, session.userId);
    return this.devices.removeSessionDevices(session.id);
  }

  unregister(appId: string, target: DeviceTarget, userId: string | null): Promise<boolean> {
    return this.devices.unregister(appId, target, userId);
  }

  /** Every token the caller receives on, its own devices and those bound by sync. */
  list(session: Session): Promise<RecipientToken[]> {
    return this.tokens.tokensOf(session.appId, [session.userId]);
  }

  issueSyncToken(session: Session): Promise<string> {
    return this.syncTokens.issue(session.appId, session.userId, session.id);
  }

  /**
   * Binds the device to the caller and to every account a valid sync token vouches for, while
   * the session it was issued to lasts. Answers the sync tokens that were refused.
   */
  async sync(session: Session, registration: DeviceRegistration, syncTokens: string[]): Promise<string[]> {
    const invalid: string[] = [];
    const users: SyncUser[] = [];
    for (const token of syncTokens) {
      const vouched = await this.syncTokens.vouchedFor(session.appId, token);
      if (vouched === null || !(await this.sessions.isActive(vouched.sessionId, this.clock.now()))) {
        invalid.push(token);
      } else if (vouched.userId !== session.userId) users.push(vouched);
    }
    await this.bind(session, registration, users);
    return invalid;
  }

  private async bind(
    session: Session,
    registration: DeviceRegistration,
    syncUsers: SyncUser[],
  ): Promise<void> {
    if (registration.token.provider === "webpush") await this.checkWebPushEndpoint(registration.token.token);
    if (
      registration.variant !== null &&
      !(await this.variantsOf(session.appId)).includes(registration.variant)
    )
      throw new InvalidInputError("unknown variant", [
        { path: "variant", message: `the app has no variant ${registration.variant}` },
      ]);
    const withDevice = { ...registration, deviceId: registration.deviceId ?? session.deviceId };
    if (!(await this.devices.register(ownerOf(session), withDevice, syncUsers, this.clock.now()))) {
      throw new AuthenticationError("the session has ended; sign in again");
    }
  }
}
