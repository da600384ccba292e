import type { LookupFunction } from "node:net";
import type { Settings } from "../config/settings.js";
import type { Logger } from "../observability/logger.js";
import { PushDispatcher } from "../providers/push-dispatcher.js";
import { guardedLookup } from "../webhooks/target-guard.js";
import type { ProcessResources } from "./process-resources.js";

/** The providers as the settings configure them, closed with the process. */
export function pushSender(settings: Settings, logger: Logger, resources: ProcessResources): PushDispatcher {
  const sender = new PushDispatcher({
    fcmEndpoint: settings.FCM_ENDPOINT,
    apnsProductionEndpoint: settings.APNS_PRODUCTION_ENDPOINT,
    apnsSandboxEndpoint: settings.APNS_SANDBOX_ENDPOINT,
    caFile: settings.PROVIDER_CA_FILE,
    apnsMaxStreamsInFlight: settings.APNS_MAX_STREAMS_IN_FLIGHT,
    expoEndpoint: settings.EXPO_ENDPOINT,
    concurrency: settings.DELIVERY_CONCURRENCY,
    webPushLookup: settings.ALLOW_PRIVATE_WEBHOOK_TARGETS ? undefined : (guardedLookup as LookupFunction),
    logger,
  });
  resources.onClose(() => sender.close());
  return sender;
}
