import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { deleteKeysUnder } from "../../src/queue/redis-keys.js";
import { testRedisUrl } from "../support/test-gateway.js";
import { type CliLaunch, RunningCli, repoRoot, runCli } from "./cli-process.js";

const { bin } = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  bin: { pushgate: string };
};

describe("the pushgate bin", function () {
  this.timeout(60_000);

  describe("chooses what to run", () => {
    const packageDirs: string[] = [];
    after(() => {
      for (const dir of packageDirs) rmSync(dir, { recursive: true, force: true });
    });

    /** A package with the bin and what is asked for; its main modules print which one ran. */
    function packageWith(parts: { source?: boolean; built?: boolean; tsx?: boolean }): CliLaunch {
      const dir = mkdtempSync(path.join(tmpdir(), "pushgate-bin-"));
      packageDirs.push(dir);
      const write = (file: string, text: string) => {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      };
      write("package.json", JSON.stringify({ type: "module" }));
      write(bin.pushgate, readFileSync(path.join(repoRoot, bin.pushgate), "utf8"));
      copyFileSync(path.join(repoRoot, "tsconfig.json"), path.join(dir, "tsconfig.json"));
      if (parts.source) write("src/cli/main.ts", 'const ran: string = "source";\nconsole.log(ran);\n');
      if (parts.built) write("dist/cli/main.js", 'console.log("dist");\n');
      if (parts.tsx) symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
      return { command: [process.execPath, bin.pushgate], cwd: dir };
    }

    it("a checkout (source and tsx): the TypeScript source, even when dist/ is built", async () => {
      const result = await runCli([], {}, packageWith({ source: true, built: true, tsx: true }));
      expect(result.stdout, result.stderr).to.equal("source\n");
    });

    it("an installed package (no tsx) or the image (no source): dist/", async () => {
      expect((await runCli([], {}, packageWith({ source: true, built: true }))).stdout).to.equal("dist\n");
      expect((await runCli([], {}, packageWith({ built: true, tsx: true }))).stdout).to.equal("dist\n");
    });

    it("neither runnable: says to build, exit code 1", async () => {
      const result = await runCli([], {}, packageWith({ source: true }));
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(/dist\/cli\/main\.js is missing: run npm run build\n$/);
    });
  });

  describe("in this checkout", () => {
    const launch: CliLaunch = { command: [process.execPath, bin.pushgate], cwd: repoRoot };

    it("answers --help with exit code 0, and an unknown command with exit code 1", async () => {
      const help = await runCli(["--help"], {}, launch);
      expect(help.code, help.stderr).to.equal(0);
      expect(help.stdout).to.match(/^Usage: pushgate/);
      for (const command of ["start", "migrate", "replay", "listen", "simulate", "samples", "demo"])
        expect(help.stdout).to.match(new RegExp(`\\n  ${command} `), command);
      // Named, a command is the only one loaded: its own help still answers.
      const replayHelp = await runCli(["replay", "--help"], {}, launch);
      expect(replayHelp.code, replayHelp.stderr).to.equal(0);
      expect(replayHelp.stdout).to.match(/^Usage: pushgate replay /);
      const unknown = await runCli(["no-such-command"], {}, launch);
      expect(unknown.code).to.equal(1);
      expect(unknown.stderr).to.match(/unknown command 'no-such-command'/);
    });

    it("lets SIGTERM reach `start`, which drains and exits 0", async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), "pushgate-bin-start-"));
      const prefix = `pgtest-bin-${randomBytes(4).toString("hex")}`;
      const cli = new RunningCli(
        ["start"],
        {
          PORT: "0",
          DATA_DIR: dataDir,
          DATABASE_URL: `sqlite:${path.join(dataDir, "pushgate.db")}`,
          REDIS_URL: testRedisUrl(),
          REDIS_PREFIX: prefix,
          LOG_LEVEL: "info",
          LOG_FORMAT: "json",
        },
        launch,
      );
      try {
        await cli.waitForOutput(/"msg":"pushgate started"/, 30_000);
        expect(await cli.stop("SIGTERM"), cli.stderr).to.equal(0);
        expect(cli.stdout).to.match(/"signal":"SIGTERM".*"msg":"draining/);
      } finally {
        await cli.stop("SIGKILL");
        await deleteKeysUnder(testRedisUrl(), prefix);
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
