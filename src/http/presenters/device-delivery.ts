import { tokenTail } from "../../domain/devices/device.js";
import type { DeviceDelivery } from "../../domain/events/device-delivery.js";
import type { DeviceDeliveryResponse } from "../schemas/device-deliveries.js";

export function presentDeviceDelivery(delivery: DeviceDelivery): DeviceDeliveryResponse {
  return {
    user_id: delivery.userId,
    device_id: delivery.deviceId,
    provider: delivery.provider,
    token: tokenTail(delivery.token),
    outcome: delivery.outcome,
    attempts: delivery.attempts,
    provider_status: delivery.providerStatus,
    provider_error: delivery.providerError,
    at: delivery.at.toISOString(),
  };
}
