import { tokenTail } from "../../domain/devices/device.js";
import type { TestNotificationResult } from "../../pipeline/test-notification.js";
import type { TestNotificationResponse } from "../schemas/test-notifications.js";

export function presentTestNotification(result: TestNotificationResult): TestNotificationResponse {
  return {
    devices: result.devices.map((device) => ({
      device_id: device.deviceId,
      provider: device.provider,
      token: tokenTail(device.token),
      outcome: device.outcome,
      provider_status: device.providerStatus,
      provider_error: device.providerError,
    })),
    would_suppress: result.wouldSuppress,
  };
}
