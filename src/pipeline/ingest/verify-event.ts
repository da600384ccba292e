import type { App } from "../../domain/apps/app.js";
import type { AppRepository } from "../../domain/apps/app-repository.js";
import type { Clock } from "../../domain/clock.js";
import { type SignedHeaders, verifyWebhook } from "../../security/standard-webhooks.js";

/**
 * Where an event is verified: a Standard Webhooks signature by one of the app's event
 * secrets (two during a rotation), within the timestamp tolerance, over the raw bytes.
 * Throws `SignatureError`.
 */
export async function verifyEventSignature(
  apps: AppRepository,
  app: App,
  headers: Partial<Record<keyof SignedHeaders, string | undefined>>,
  rawBody: Buffer,
  toleranceSeconds: number,
  clock: Clock,
): Promise<void> {
  const now = clock.now();
  const secrets = await apps.activeSecrets(app.id, "event_secret", now);
  verifyWebhook(
    headers,
    rawBody,
    secrets.map((secret) => secret.value),
    { toleranceSeconds, now },
  );
}
