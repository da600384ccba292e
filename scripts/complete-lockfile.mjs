// Adds lockfile entries for the other platforms' optional binaries (biome, msgpackr-extract…)
// that npm leaves out when its registry does not serve them here; without them `npm ci`
// refuses the lockfile as out of sync. npm skips these entries on platforms they don't fit.
// Run after every `npm install` that changes package-lock.json: `npm run lock:complete`.
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const platform = /(android|darwin|freebsd|linux|netbsd|openbsd|sunos|win32|aix)/;
const cpu = /(arm64|x64|arm|ia32|ppc64|s390x|riscv64|loong64|mips64el)/;
const added = [];
for (const entry of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const base = name.split("/").at(-1);
    if (lock.packages[key] || !platform.test(base)) continue;
    lock.packages[key] = {
      version,
      ...(cpu.test(base) ? { cpu: [base.match(cpu)[1]] } : {}),
      ...(entry.dev ? { dev: true } : {}),
      ...(base.includes("musl") ? { libc: ["musl"] } : {}),
      optional: true,
      os: [base.match(platform)[1]],
    };
    added.push(`${name}@${version}`);
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.join(", ")}` : "nothing to add");
