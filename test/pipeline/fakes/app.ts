import type { App, WebhookSettings } from "../../../src/domain/apps/app.js";

export function testApp(fields: Partial<App> = {}): App {
  return {
    id: "app",
    name: "Test app",
    mode: "direct",
    pushEnabled: true,
    requireAuthToken: false,
    notificationTtlSeconds: 3600,
    quietDelivery: "drop",
    badge: "off",
    burstWindowSeconds: 0,
    webpush: null,
    variants: {},
    defaultLocale: "en",
    apiKey: "key",
    webhook: null,
    statusCallback: null,
    fcm: null,
    apns: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...fields,
  };
}

/** A webhook at its defaults but for what `fields` name: every type forwarded, on. */
export function testWebhook(fields: Partial<WebhookSettings> = {}): WebhookSettings {
  return {
    url: "https://customer.example/hook",
    timeoutMs: 1000,
    fallback: "drop",
    eventTypes: null,
    otherEvents: "direct",
    disableAfterFailures: 100,
    disableAfterMinutes: 60,
    disabled: null,
    ...fields,
  };
}
