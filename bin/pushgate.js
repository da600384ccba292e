#!/usr/bin/env node
// The `pushgate` command. A checkout (src/ and the tsx devDependency present) runs the
// TypeScript source, so it works right after `npm ci` and never runs a dist/ older than
// the source; the image and an installed package have no tsx or no src/ and run dist/.
// Either is imported into this process: exit codes and signals (SIGTERM drains `start`)
// reach the command directly, with nothing to relay.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const source = new URL("../src/cli/main.ts", import.meta.url);
const built = new URL("../dist/cli/main.js", import.meta.url);

async function tsxLoader() {
  try {
    return await import("tsx/esm/api");
  } catch (error) {
    if (error?.code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw error;
  }
}

const tsx = existsSync(source) ? await tsxLoader() : undefined;
if (tsx) {
  tsx.register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
  await import(source.href);
} else if (existsSync(built)) {
  await import(built.href);
} else {
  process.stderr.write(`pushgate: ${fileURLToPath(built)} is missing: run npm run build\n`);
  process.exit(1);
}
