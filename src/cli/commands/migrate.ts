import { Command } from "commander";
import { loadSettings } from "../../config/load.js";
import { masterKeyOf, openGatewayStore } from "../../runtime/gateway-keys.js";

/** Opening the store applies the pending migrations. */
async function migrate(): Promise<void> {
  const settings = loadSettings();
  const store = await openGatewayStore(settings, masterKeyOf(settings));
  await store.close();
  process.stdout.write(`database schema is up to date (${store.kind})\n`);
}

export const migrateCommand = new Command("migrate")
  .description("apply pending database migrations and exit")
  .action(migrate);
