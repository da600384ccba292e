import type { RecipientToken } from "../../domain/audience/audience.js";
import type { DeviceOwner, DeviceRegistration, Platform, PushToken } from "../../domain/devices/device.js";
import { isVoipProvider } from "../../domain/devices/device.js";

/** A `device_tokens` row but for its app and device: a token in its slot (regular or VoIP) of a device. */
export interface TokenSlot extends PushToken {
  platform: Platform;
  voip: boolean;
}

/** The slots a registration fills: its token, and the VoIP token paired with it if any. */
export function slotsOf(registration: DeviceRegistration): TokenSlot[] {
  const slots: TokenSlot[] = [
    {
      ...registration.token,
      platform: registration.platform,
      voip: isVoipProvider(registration.token.provider),
    },
  ];
  if (registration.voip) slots.push({ ...registration.voip, platform: "ios", voip: true });
  return slots;
}

/** The `device_tokens` columns a `RecipientToken` is made of (its user comes from the owner's or the sync table). */
export const recipientTokenKeys = [
  "provider",
  "token",
  "platform",
  "voip",
  "deviceId",
] as const satisfies readonly (keyof RecipientToken)[];

/** The `devices` row of a device a registration creates. */
export function newDeviceRow(id: string, owner: DeviceOwner, registration: DeviceRegistration, now: Date) {
  return {
    id,
    appId: owner.appId,
    clientDeviceId: registration.deviceId,
    userId: owner.userId,
    sessionId: owner.sessionId,
    createdAt: now,
    updatedAt: now,
  };
}
