import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { build } from "esbuild";
import { summarizeProfiles } from "../../bench/profile-summary.js";

describe("bench: the CPU profile summary", function () {
  this.timeout(30_000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "pushgate-profile-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("names the source files of a bundled process, through the bundle's source map", async () => {
    mkdirSync(path.join(root, "src/busy"), { recursive: true });
    writeFileSync(
      path.join(root, "src/busy/spin.ts"),
      [
        "export function spinFor(ms: number): number {",
        "  let sum = 0;",
        "  for (const end = Date.now() + ms; Date.now() < end; ) sum += Math.sqrt(sum + 1);",
        "  return sum;",
        "}",
        "",
      ].join("\n"),
    );
    writeFileSync(
      path.join(root, "src/main.ts"),
      'import { spinFor } from "./busy/spin.js";\nspinFor(300);\n',
    );
    await build({
      absWorkingDir: root,
      entryPoints: ["src/main.ts"],
      outdir: path.join(root, "dist"),
      bundle: true,
      format: "esm",
      platform: "node",
      minifyWhitespace: true,
      sourcemap: "linked",
      sourcesContent: false,
      logLevel: "silent",
    });
    const profiles = path.join(root, "profiles");
    const run = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", profiles, "dist/main.js"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(run.status, run.stderr).to.equal(0);

    const summary = summarizeProfiles(profiles);
    expect(summary).to.match(/^src\/busy +\d+ ms/m);
    expect(summary).to.match(/^spinFor src\/busy\/spin\.ts:\d+ +\d+ ms/m);
    expect(summary).not.to.include("main.js");
  });
});
