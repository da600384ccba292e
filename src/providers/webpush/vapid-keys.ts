import webPush from "web-push";

/** A new VAPID key pair (P-256), both base64url, as an app's Web Push credentials. */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return webPush.generateVAPIDKeys();
}
