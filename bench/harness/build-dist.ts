import { execFileSync } from "node:child_process";
import { projectRoot } from "./gateway-process.js";

/** `npm run build`: dist/ from the current source, so that a dist run never measures an older build. */
export function buildDist(): void {
  execFileSync("npm", ["run", "--silent", "build"], { cwd: projectRoot, stdio: "inherit" });
}
