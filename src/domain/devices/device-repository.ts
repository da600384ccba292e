import type { DeviceOwner, DeviceRegistration, DeviceTarget, PushToken } from "./device.js";

/** A further user a device serves (docs/api.md §5), and the session whose sync token vouched for it. */
export interface SyncUser {
  userId: string;
  sessionId: string;
}

export interface DeviceRepository {
  /**
   * Binds the device to `owner` alone, last write wins, plus the `syncUsers` whose sessions
   * still exist (docs/api.md §5), and gives it the registration's tokens, taking each away from
   * any other device of the app. False, with nothing changed, when the owner's session has ended.
   */
  register(
    owner: DeviceOwner,
    registration: DeviceRegistration,
    syncUsers: SyncUser[],
    now: Date,
  ): Promise<boolean>;
  /**
   * Takes one token away from the user: removes it when the user owns its device,
   * else ends the user's sync binding to that device. Nothing when it is not the user's.
   */
  removeUserToken(appId: string, userId: string, token: PushToken): Promise<void>;
  /** Removes every device registered through the session, and every sync binding it vouched for. */
  removeSessionDevices(sessionId: string): Promise<void>;
  /** Removes every device the user owns and every sync binding of the user. */
  removeUserDevices(appId: string, userId: string): Promise<void>;
  /**
   * Removes the device; with `userId`, only when the device is bound to that user (a sync-bound
   * user loses just its binding). True when something was removed.
   */
  unregister(appId: string, target: DeviceTarget, userId: string | null): Promise<boolean>;
}
