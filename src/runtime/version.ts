import { readFileSync } from "node:fs";

/** The package version, for `user-agent: pushgate/<version>`. */
export const gatewayVersion: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
