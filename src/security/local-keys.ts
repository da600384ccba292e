import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface LocalSecret {
  value: string;
  /** True when this start generated it (the admin token is then printed once). */
  generated: boolean;
}

/**
 * A secret taken from the setting when given, else read from `DATA_DIR/<file>`,
 * else generated there with mode 0600.
 */
export function localSecret(
  configured: string | undefined,
  dataDir: string,
  file: string,
  generate: () => string,
): LocalSecret {
  if (configured) return { value: configured, generated: false };
  const filePath = path.resolve(dataDir, file);
  try {
    return { value: readFileSync(filePath, "utf8").trim(), generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
  const value = generate();
  try {
    writeFileSync(filePath, `${value}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process of this gateway won the race: use what it wrote.
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return localSecret(undefined, dataDir, file, generate);
    throw error;
  }
  return { value, generated: true };
}

export const newAdminToken = () => `pgadm_${randomBytes(32).toString("base64url")}`;
export const newSecretBoxKey = () => randomBytes(32).toString("base64");
