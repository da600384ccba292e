import { readFileSync } from "node:fs";
import path from "node:path";
import { packagePath } from "../runtime/package-root.js";
import { redisTopologyProblem, type Settings, settingNames, settingsSchema } from "./settings.js";

/** A configuration that cannot start the gateway; the message names the setting. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export const defaultConfigDir = packagePath("config");

function readJsonFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export interface LoadSettingsOptions {
  env?: NodeJS.ProcessEnv;
  configDir?: string;
  overrides?: Partial<Record<keyof Settings, unknown>>;
}

/**
 * Defaults from `config/default.json`, then `config/local.json` (not committed),
 * then the environment, then explicit overrides (command-line flags, tests).
 */
export function loadSettings(options: LoadSettingsOptions = {}): Settings {
  const env = options.env ?? process.env;
  const configDir = options.configDir ?? env.PUSHGATE_CONFIG_DIR ?? defaultConfigDir;
  const merged: Record<string, unknown> = {
    ...readJsonFile(path.join(configDir, "default.json")),
    ...readJsonFile(path.join(configDir, "local.json")),
  };
  for (const key of Object.keys(merged)) {
    if (!settingNames.includes(key as keyof Settings)) {
      throw new ConfigError(`${key}: unknown setting in ${configDir}`);
    }
  }
  for (const name of settingNames) {
    const value = env[name];
    if (value !== undefined && value !== "") merged[name] = value;
  }
  Object.assign(merged, options.overrides);

  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join(".") || "configuration";
    const value = merged[name];
    const shown =
      value === undefined ? "missing" : `got ${JSON.stringify(isSecret(name) ? "…" : shownValue(value))}`;
    throw new ConfigError(`${name}: ${issue?.message ?? "invalid"} (${shown})`);
  }
  const settings = {
    ...parsed.data,
    DATABASE_URL:
      parsed.data.DATABASE_URL ?? `sqlite:${parsed.data.DATA_DIR.replace(/\/+$/, "")}/pushgate.db`,
  };
  const redisProblem = redisTopologyProblem(settings);
  if (redisProblem) throw new ConfigError(redisProblem);
  return settings;
}

/** A value as a refusal shows it: a URL's password (`scheme://user:password@host`) as `…`. */
function shownValue(value: unknown): unknown {
  return typeof value === "string"
    ? value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^@/]*@/i, "$1…@")
    : value;
}

function isSecret(name: string): boolean {
  return /TOKEN|SECRET|KEY|PASSWORD/.test(name);
}
