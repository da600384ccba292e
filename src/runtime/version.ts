import { readFileSync } from "node:fs";
import { packagePath } from "./package-root.js";

/** The package version, for `user-agent: pushgate/<version>`. */
export const gatewayVersion: string = (
  JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }
).version;
