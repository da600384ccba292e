import type { NotificationModule } from "../audience/audience.js";

export const notificationModules = [
  "chat",
  "social",
  "video",
] as const satisfies readonly NotificationModule[];

/** Whom a module's notifications may come from, by the actor's roles (docs/api.md §6). */
export type RoleFilter = { only: string[] } | { not: string[] } | null;

export interface ModuleSettings {
  module: NotificationModule;
  enabled: boolean;
  roleFilter: RoleFilter;
}

/** The user level of the toggles, for all of the user's devices. */
export interface UserNotificationSettings {
  enabled: boolean;
  /** One entry per module, in `notificationModules` order. */
  modules: ModuleSettings[];
}

/** A `PUT` changes only what it names. */
export interface UserSettingsChange {
  enabled?: boolean;
  modules?: ({ module: NotificationModule } & Partial<Omit<ModuleSettings, "module">>)[];
}

export const defaultModuleSettings = (module: NotificationModule): ModuleSettings => ({
  module,
  enabled: true,
  roleFilter: null,
});

/** The toggles below the network level, by the name the event-status API reports them under. */
export type UserLevelToggle = "user" | "module" | "role_filter" | "channel";

/** The stored toggles of one user that bear on one notification; absent ones are at their default. */
export interface ApplicableToggles {
  user?: boolean;
  module?: Omit<ModuleSettings, "module">;
  channel?: boolean;
}

export function roleFilterAllows(filter: RoleFilter, actorRoles: string[]): boolean {
  if (filter === null) return true;
  if ("only" in filter) return filter.only.some((role) => actorRoles.includes(role));
  return !filter.not.some((role) => actorRoles.includes(role));
}

/** The user and channel levels a notification must pass; the first that stops it, or null. */
export function suppressingToggle(toggles: ApplicableToggles, actorRoles: string[]): UserLevelToggle | null {
  if (toggles.user === false) return "user";
  if (toggles.module && !toggles.module.enabled) return "module";
  if (toggles.module && !roleFilterAllows(toggles.module.roleFilter, actorRoles)) return "role_filter";
  if (toggles.channel === false) return "channel";
  return null;
}
