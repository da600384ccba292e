import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of the gateway's package.json: a checkout, the image's /app or an installed package.
 * Found by walking up from this module, which sits at a different depth as `src/runtime/*.ts`
 * and inside the build's bundle, so that files shipped beside the code (config, migrations,
 * samples, the simulators' TLS material) are found from either.
 */
export const packageRoot: string = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/** A path inside the package, e.g. `packagePath("drizzle", "sqlite")`. */
export function packagePath(...segments: string[]): string {
  return path.join(packageRoot, ...segments);
}
