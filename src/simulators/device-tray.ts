import type { ReceivedNotification } from "./received-log.js";

/** A notification as a phone's tray shows it. */
export interface TrayEntry {
  title: string;
  body: string;
  /** The collapse id that replaced the notification before it, if any. */
  collapseId: string | undefined;
}

/** What one device's user saw and heard of the notifications a simulator accepted for its token. */
export interface DeviceTray {
  /** Notifications still shown, oldest first: one with a collapse id replaces the one shown before with the same. */
  shown: TrayEntry[];
  /** How many of them made a sound. */
  sounds: number;
}

interface ApnsBody {
  aps?: { alert?: { title?: string; body?: string }; sound?: unknown; "interruption-level"?: string };
}

interface FcmBody {
  notification?: { title?: string; body?: string };
  android?: { notification?: { tag?: string; sound?: string; notification_priority?: string } };
}

/** Android below 8 plays no sound for PRIORITY_LOW and PRIORITY_MIN; from 8 on the notification channel decides. */
const quietAndroidPriorities = new Set(["PRIORITY_LOW", "PRIORITY_MIN"]);

function trayEntry(received: ReceivedNotification): { entry: TrayEntry; sounds: boolean } | null {
  if (received.simulator === "fcm") {
    const message = received.payload as FcmBody;
    if (!message.notification) return null;
    const android = message.android?.notification;
    return {
      entry: {
        title: message.notification.title ?? "",
        body: message.notification.body ?? "",
        collapseId: android?.tag,
      },
      sounds: !quietAndroidPriorities.has(android?.notification_priority ?? ""),
    };
  }
  const { aps } = received.payload as ApnsBody;
  if (!aps?.alert || received.headers["apns-push-type"] === "voip") return null;
  return {
    entry: {
      title: aps.alert.title ?? "",
      body: aps.alert.body ?? "",
      collapseId: received.headers["apns-collapse-id"],
    },
    sounds: aps.sound !== undefined && aps["interruption-level"] !== "passive",
  };
}

/**
 * The tray of a device after `received` (one token's notifications, in arrival order), as iOS
 * and Android build it: a collapse id (`apns-collapse-id`, FCM Android `tag`) replaces the
 * notification shown with the same id; data-only messages and VoIP pushes show nothing here.
 */
export function deviceTray(received: readonly ReceivedNotification[]): DeviceTray {
  const shown: TrayEntry[] = [];
  let sounds = 0;
  for (const notification of received) {
    const seen = trayEntry(notification);
    if (!seen) continue;
    if (seen.sounds) sounds++;
    const { collapseId } = seen.entry;
    const replaced =
      collapseId === undefined ? -1 : shown.findIndex((entry) => entry.collapseId === collapseId);
    if (replaced >= 0) shown.splice(replaced, 1);
    shown.push(seen.entry);
  }
  return { shown, sounds };
}
