import { Command } from "commander";
import { loadSettings } from "../../config/load.js";
import { deriveKey } from "../../security/derive-key.js";
import { localSecret, newSecretBoxKey } from "../../security/local-keys.js";
import { SecretBox } from "../../security/secret-box.js";
import { openStore } from "../../storage/open-store.js";

/** Opening the store applies the pending migrations. */
async function migrate(): Promise<void> {
  const settings = loadSettings();
  const secretKey = localSecret(
    settings.PUSHGATE_SECRET_KEY,
    settings.DATA_DIR,
    "secret-key",
    newSecretBoxKey,
  );
  const masterKey = Buffer.from(secretKey.value, "base64");
  const store = await openStore(settings.DATABASE_URL, new SecretBox(deriveKey(masterKey, "secret-box")));
  await store.close();
  process.stdout.write(`database schema is up to date (${store.kind})\n`);
}

export const migrateCommand = new Command("migrate")
  .description("apply pending database migrations and exit")
  .action(migrate);
