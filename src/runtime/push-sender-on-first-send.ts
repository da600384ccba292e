import type { Settings } from "../config/settings.js";
import type { Logger } from "../observability/logger.js";
import type { PushSender } from "../providers/push-provider.js";
import type { ProcessResources } from "./process-resources.js";

/**
 * `pushSender`, loaded and made at the first send: the api sends only test notifications, and
 * the provider clients (firebase-admin, node-apn, web-push) stay out of its memory until one is asked for.
 */
export function pushSenderOnFirstSend(
  settings: Settings,
  logger: Logger,
  resources: ProcessResources,
): Pick<PushSender, "send"> {
  let sender: Promise<Pick<PushSender, "send">> | undefined;
  return {
    send: async (app, message, targets, onOutcome) => {
      sender ??= import("./push-sender.js").then(({ pushSender }) => pushSender(settings, logger, resources));
      return (await sender).send(app, message, targets, onOutcome);
    },
  };
}
