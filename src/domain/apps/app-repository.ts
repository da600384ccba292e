import type { ActiveSecret, App, AppSecrets, SecretKind } from "./app.js";

export type AppChanges = Partial<Omit<App, "id" | "apiKey" | "createdAt">> & { updatedAt: Date };

export interface AppRepository {
  create(app: App, secrets: AppSecrets): Promise<void>;
  findById(id: string): Promise<App | null>;
  findByApiKey(apiKey: string): Promise<App | null>;
  /** The app whose server key (current or still in its overlap) this is. */
  findIdByServerKey(serverKey: string, now: Date): Promise<string | null>;
  list(): Promise<App[]>;
  update(id: string, changes: AppChanges): Promise<App | null>;
  delete(id: string): Promise<boolean>;
  /** Newest first. */
  activeSecrets(appId: string, kind: SecretKind, now: Date): Promise<ActiveSecret[]>;
  /** Makes `secret` current; the previous current one expires at `previousValidUntil`. */
  rotateSecret(appId: string, kind: SecretKind, secret: string, previousValidUntil: Date): Promise<void>;
  purgeExpiredSecrets(now: Date): Promise<number>;
}
