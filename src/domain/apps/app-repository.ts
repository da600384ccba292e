import type { ActiveSecret, App, AppSecrets, SecretKind, WebhookDisabled } from "./app.js";

/**
 * What an update writes. Whether the webhook is off is written only when `webhookDisabled`
 * names it, never from `webhook.disabled`: a change of the webhook's settings must not undo
 * the breaker turning it off meanwhile.
 */
export type AppChanges = Partial<Omit<App, "id" | "apiKey" | "createdAt">> & {
  webhookDisabled?: WebhookDisabled | null;
  updatedAt: Date;
};

export interface AppRepository {
  create(app: App, secrets: AppSecrets): Promise<void>;
  findById(id: string): Promise<App | null>;
  findByApiKey(apiKey: string): Promise<App | null>;
  /** The app whose server key (current or still in its overlap) this is. */
  findIdByServerKey(serverKey: string, now: Date): Promise<string | null>;
  list(): Promise<App[]>;
  update(id: string, changes: AppChanges): Promise<App | null>;
  delete(id: string): Promise<boolean>;
  /** Turns the app's webhook off, unless it is already off (or gone); the app when this call did it. */
  disableWebhook(id: string, disabled: WebhookDisabled): Promise<App | null>;
  /** Turns back on a webhook its failures turned off (not one an operator did); the app when this call did it. */
  enableWebhookAfterFailures(id: string, at: Date): Promise<App | null>;
  /** Newest first. */
  activeSecrets(appId: string, kind: SecretKind, now: Date): Promise<ActiveSecret[]>;
  /** Makes `secret` current; the previous current one expires at `previousValidUntil`. */
  rotateSecret(appId: string, kind: SecretKind, secret: string, previousValidUntil: Date): Promise<void>;
  purgeExpiredSecrets(now: Date): Promise<number>;
}
