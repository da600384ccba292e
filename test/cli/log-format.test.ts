import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { deleteKeysUnder } from "../../src/queue/redis-keys.js";
import { testRedisUrl } from "../support/test-gateway.js";
import { RunningCli, repoRoot } from "./cli-process.js";

function isJsonObject(line: string): boolean {
  try {
    return typeof JSON.parse(line) === "object";
  } catch {
    return false;
  }
}

/** `pushgate start` to its drain, with stdout a pipe; its log lines. */
async function startLogLines(env: Record<string, string>): Promise<string[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "pushgate-log-"));
  const prefix = `pgtest-log-${randomBytes(4).toString("hex")}`;
  const cli = new RunningCli(["start"], {
    PORT: "0",
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${path.join(dataDir, "pushgate.db")}`,
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    LOG_LEVEL: "info",
    ...env,
  });
  try {
    await cli.waitForOutput(/pushgate started/, 30_000);
    expect(await cli.stop("SIGTERM"), cli.stderr).to.equal(0);
  } finally {
    await cli.stop("SIGKILL");
    await deleteKeysUnder(testRedisUrl(), prefix);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return cli.stdout.split("\n").filter((line) => line !== "");
}

/** Runs `script` (util-linux) so the command's stdout is a terminal; what the terminal showed. */
function onTerminal(command: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["--quiet", "--return", "--command", command, "/dev/null"], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let shown = "";
    child.stdout.on("data", (chunk) => {
      shown += chunk;
    });
    child.once("error", reject);
    child.once("close", () => resolve(shown));
  });
}

describe("log format", function () {
  this.timeout(60_000);

  it("is one JSON object per line when stdout is not a terminal", async () => {
    const lines = await startLogLines({});
    expect(lines.length).to.be.greaterThan(1);
    for (const line of lines) expect(isJsonObject(line), line).to.equal(true);
    expect(lines.some((line) => JSON.parse(line).msg === "pushgate started")).to.equal(true);
  });

  it("is human lines with LOG_FORMAT=pretty, whatever stdout is", async () => {
    const lines = await startLogLines({ LOG_FORMAT: "pretty", NO_COLOR: "1" });
    expect(lines.some(isJsonObject), lines.join("\n")).to.equal(false);
    expect(lines.join("\n")).to.match(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: pushgate started$/m);
  });

  it("is pretty by default on a terminal", async function () {
    if (spawnSync("script", ["--version"]).status !== 0) this.skip(); // no util-linux `script` for a terminal
    const logOnce =
      'import("./src/observability/logger.ts").then(({ createLogger }) => createLogger("info").info("on a terminal"))';
    const shown = await onTerminal(`${process.execPath} --import tsx -e '${logOnce}'`, { NO_COLOR: "1" });
    expect(shown).to.match(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: on a terminal\r?$/m);
  });
});
