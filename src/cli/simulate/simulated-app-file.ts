import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { appProviderSettings } from "../../simulators/simulated-credentials.js";
import type { SimulatedAppCredentials } from "../../simulators/simulators.js";

/**
 * Writes the app settings (`fcm`, `apns`) that make a gateway's app send to the
 * simulators with credentials they accept: the body of `PATCH /v1/apps/{app_id}`.
 */
export async function writeSimulatedAppFile(
  file: string,
  credentials: SimulatedAppCredentials,
): Promise<void> {
  const settings = appProviderSettings(credentials);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
}
