import type { Settings } from "../config/settings.js";
import type { Logger } from "../observability/logger.js";
import { deriveKey } from "../security/derive-key.js";
import { localSecret, newAdminToken, newSecretBoxKey } from "../security/local-keys.js";
import { SecretBox } from "../security/secret-box.js";
import { openStore } from "../storage/open-store.js";
import type { StatementObserver } from "../storage/sql/observed-database.js";
import type { Store } from "../storage/store.js";

/** The gateway's master key (`PUSHGATE_SECRET_KEY`, else kept in `DATA_DIR`): seals stored secrets, derives signing keys. */
export function masterKeyOf(settings: Settings): Buffer {
  const key = localSecret(settings.PUSHGATE_SECRET_KEY, settings.DATA_DIR, "secret-key", newSecretBoxKey);
  return Buffer.from(key.value, "base64");
}

/** The operator token: `PUSHGATE_ADMIN_TOKEN`, else kept in `DATA_DIR`, logged once when generated. */
export function adminTokenOf(settings: Settings, logger: Logger): string {
  const token = localSecret(settings.PUSHGATE_ADMIN_TOKEN, settings.DATA_DIR, "admin-token", newAdminToken);
  if (token.generated) {
    logger.warn(
      { file: `${settings.DATA_DIR}/admin-token` },
      `generated the admin token (shown once, kept in DATA_DIR): ${token.value}`,
    );
  }
  return token.value;
}

/** The store of `DATABASE_URL`, its schema brought up to date, sealing with the master key. */
export function openGatewayStore(
  settings: Settings,
  masterKey: Buffer,
  observer?: StatementObserver,
): Promise<Store> {
  return openStore(
    settings.DATABASE_URL,
    new SecretBox(deriveKey(masterKey, "secret-box")),
    { poolSize: settings.DATABASE_POOL_SIZE, synchronousCommit: settings.POSTGRES_SYNCHRONOUS_COMMIT },
    observer,
  );
}
