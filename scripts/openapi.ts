// Writes openapi.json, the document GET /openapi.json serves, for readers of the repository
// and client generators; test/operator/openapi-file.test.ts fails while it is stale.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { operations } from "../src/http/openapi/catalog/index.js";
import { outboundWebhooks } from "../src/http/openapi/catalog/webhooks.js";
import { openApiDocument } from "../src/http/openapi/document.js";
import { gatewayVersion } from "../src/runtime/version.js";

const file = fileURLToPath(new URL("../openapi.json", import.meta.url));
const document = openApiDocument(operations, outboundWebhooks, gatewayVersion);
writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
// Laid out as `npm run lint` checks it.
const biome = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
execFileSync(process.execPath, [biome, "format", "--write", file], { stdio: "ignore" });
console.log("wrote openapi.json");
