import type { App } from "../../../src/domain/apps/app.js";

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
