import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { deleteKeysUnder } from "../../src/queue/redis-keys.js";
import { testRedisUrl } from "../support/test-gateway.js";
import { type CliLaunch, RunningCli, repoRoot, runCli } from "./cli-process.js";
import { type ImageLayout, layOutRuntimeImage } from "./image-layout.js";

function httpsStatus(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .once("error", reject);
  });
}

// No image is built (that needs a Docker daemon and the network): the runtime stage is laid
// out from the Dockerfile's COPY lines, dist/ built once, and the commands run from there.
describe("the Docker image's runtime stage, laid out from the Dockerfile (no Docker, no image built)", function () {
  this.timeout(120_000);
  const root = mkdtempSync(path.join(tmpdir(), "pushgate-image-"));
  const dataDir = path.join(root, "data-volume");
  let image: ImageLayout;
  let asImageEnv: Record<string, string>;
  let bin: CliLaunch;

  before(async function () {
    this.timeout(300_000);
    image = await layOutRuntimeImage(root);
    asImageEnv = {
      ...image.env,
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${path.join(dataDir, "pushgate.db")}`,
      REDIS_URL: testRedisUrl(),
    };
    // What `pushgate` on the image's PATH links to.
    bin = { command: [process.execPath, "bin/pushgate.js"], cwd: image.appDir };
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("holds no TypeScript source to fall back on", () => {
    expect(existsSync(path.join(image.appDir, "src/cli/main.ts"))).to.equal(false);
    expect(existsSync(path.join(image.appDir, "dist/cli/main.js"))).to.equal(true);
  });

  it("loads every module of its build, also those a process loads only when it first needs them", () => {
    // A provider's client is loaded at its first send: a module of the bundle that cannot load
    // would otherwise fail only then, in production.
    const chunks = readdirSync(path.join(image.appDir, "dist/chunks")).filter((file) => file.endsWith(".js"));
    for (const sender of ["fcm-sender", "apns-sender", "webpush-sender", "expo-sender"])
      expect(
        chunks.some((file) => file.startsWith(`${sender}-`)),
        sender,
      ).to.equal(true);
    const loadAll = `for (const file of ${JSON.stringify(chunks)}) await import("./dist/chunks/" + file); process.exit(0);`;
    const result = spawnSync(process.execPath, ["--input-type=module", "--eval", loadAll], {
      cwd: image.appDir,
      encoding: "utf8",
    });
    expect(result.status, result.stderr.slice(-2_000)).to.equal(0);
  });

  it("answers --help and --version (from package.json) through the package's bin", async () => {
    const help = await runCli(["--help"], asImageEnv, bin);
    expect(help.code, help.stderr).to.equal(0);
    expect(help.stdout).to.match(/^Usage: pushgate/);
    const version = await runCli(["--version"], asImageEnv, bin);
    const { version: packageVersion } = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8"));
    expect(version.stdout.trim()).to.equal(packageVersion);
  });

  it("runs its CMD: migrates, serves the API, its docs, the console's htmx and the queue dashboard, and drains on SIGTERM", async () => {
    const [file, ...args] = image.cmd as [string, ...string[]];
    const prefix = `pgtest-image-${randomBytes(4).toString("hex")}`;
    const adminToken = `adm_${randomBytes(16).toString("hex")}`;
    const cli = new RunningCli(
      [],
      { ...asImageEnv, PORT: "0", LOG_LEVEL: "info", REDIS_PREFIX: prefix, PUSHGATE_ADMIN_TOKEN: adminToken },
      { command: [file, ...args], cwd: image.appDir },
    );
    try {
      const [, url] = await cli.waitForOutput(/"url":"(http:\/\/[^"]+)".*"msg":"pushgate started"/, 60_000);
      expect(cli.stdout).to.match(/^database schema is up to date \(sqlite\)$/m);
      for (const page of ["/healthz", "/docs/assets/swagger-ui.css", "/console/assets/htmx.min.js"]) {
        expect((await fetch(`${url}${page}`)).status, page).to.equal(200);
      }
      // bull-board finds its page and scripts from its own package folder, which the bundle moves away from.
      const asAdmin = { headers: { authorization: `Bearer ${adminToken}` } };
      const dashboard = await fetch(`${url}/admin/queues`, asAdmin);
      expect(dashboard.status).to.equal(200);
      const script = /<script defer src="(static\/js\/[^"]+\.js)"/.exec(await dashboard.text())?.[1];
      expect(script, "the dashboard's first script").to.be.a("string");
      const scriptResponse = await fetch(`${url}/admin/queues/${script}`, asAdmin);
      expect(scriptResponse.status, script).to.equal(200);
      await scriptResponse.arrayBuffer();
      expect(await cli.stop("SIGTERM"), cli.stderr).to.equal(0);
      expect(cli.stdout).to.match(/"signal":"SIGTERM".*"msg":"draining/);
    } finally {
      await cli.stop("SIGKILL");
      await deleteKeysUnder(testRedisUrl(), prefix);
    }
  });

  it("runs simulate with the image's TLS material; the simulators answer over TLS", async () => {
    const cli = new RunningCli(
      ["simulate", ...["--fcm-port", "0", "--apns-production-port", "0", "--apns-sandbox-port", "0"]],
      asImageEnv,
      bin,
    );
    try {
      await cli.waitForOutput(/Ctrl-C stops/);
      const exported = Object.fromEntries(
        [...cli.stdout.matchAll(/^export (\w+)=(.+)$/gm)].map((match) => [match[1], match[2]]),
      );
      const caFile = exported.PROVIDER_CA_FILE as string;
      expect(caFile.startsWith(`${image.appDir}${path.sep}`), caFile).to.equal(true);
      expect(await httpsStatus(`${exported.FCM_ENDPOINT}/`, readFileSync(caFile, "utf8"))).to.equal(404);
      expect(existsSync(path.join(image.appDir, "data/simulator-app.json"))).to.equal(true);
    } finally {
      await cli.stop();
    }
    expect(await cli.stop(), cli.stderr).to.equal(0);
  });

  it("runs demo to its end on the packaged samples", async () => {
    const result = await runCli(["demo", "--port", "0"], asImageEnv, bin);
    expect(result.code, result.stderr).to.equal(0);
    const events = result.stdout.split("\n").filter((line) => line.startsWith("→ "));
    expect(events, result.stdout).to.have.length(8);
    expect(result.stdout).to.match(/\d+ notifications reached their simulated devices/);
  });
});
