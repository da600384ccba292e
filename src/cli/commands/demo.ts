import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { loadSettings } from "../../config/load.js";
import { createLogger } from "../../observability/logger.js";
import { deleteKeysUnder } from "../../queue/redis-keys.js";
import { Gateway } from "../../runtime/gateway.js";
import { packagePath } from "../../runtime/package-root.js";
import { type ReceivedNotification, startSimulators } from "../../simulators/simulators.js";
import {
  createDemoApp,
  demoUsers,
  registerDemoDevices,
  type TokenOwners,
  waitUntilEnded,
} from "../demo/demo-client.js";
import { untilStopped } from "../demo/until-stopped.js";
import { parsePort } from "../option-parsers.js";
import { collectJsonFiles, readJson } from "../replay/sample-files.js";
import { postEventSample } from "../replay/to-gateway.js";
import { followArrivals } from "../simulate/arrivals.js";
import { receivedText } from "../simulate/received-text.js";
import { untilStopSignal } from "../stop-signal.js";
import { listenError, UserError } from "../user-error.js";

// From the package root, not the working directory: a checkout and the image both find them.
const packagedSamples = packagePath("webhook-samples", "events");

interface DemoOptions {
  port: number;
  samples: string;
  dataDir?: string;
  keepRunning?: boolean;
}

function arrivalText(entry: ReceivedNotification, owners: TokenOwners): string {
  const owner = owners.get(entry.token);
  const who = owner ? `${owner.user}'s ${owner.device}` : "an unknown device";
  return `      ✓ ${who.padEnd(22)} ${receivedText(entry).trimEnd()}`;
}

/** Everything on embedded defaults: gateway, simulators, an app, devices; then the samples, event by event. */
async function demo(options: DemoOptions): Promise<void> {
  // From the start: Ctrl-C while the samples play must also clean up, not kill the process.
  const stopSignal = untilStopSignal();
  const out = (line = "") => process.stdout.write(`${line}\n`);
  const files = await collectJsonFiles([options.samples]);
  const simulators = await startSimulators();
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "pushgate-demo-"));
  const settings = loadSettings({
    overrides: {
      ...simulators.env,
      // The simulators listen on loopback, where a Web Push endpoint is otherwise refused.
      ALLOW_PRIVATE_WEBHOOK_TARGETS: true,
      PORT: options.port,
      DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${path.join(dataDir, "pushgate.db")}`,
      REDIS_PREFIX: `pushgate-demo-${process.pid}`,
      LOG_LEVEL: "error",
    },
  });
  const gateway = await Gateway.start(settings, createLogger(settings.LOG_LEVEL, settings.LOG_FORMAT)).catch(
    async (error: unknown) => {
      await simulators.close();
      throw listenError(error, "--port");
    },
  );
  try {
    const url = gateway.url as string;
    out(
      `gateway      ${url}  (SQLite in ${dataDir}, Redis ${gateway.redisUrl}, keys under ${settings.REDIS_PREFIX}:)`,
    );
    out(
      `simulators   FCM ${simulators.env.FCM_ENDPOINT}, APNs ${simulators.env.APNS_PRODUCTION_ENDPOINT}, Web Push ${simulators.endpoints.webPushEndpoint}`,
    );
    const outcome = await untilStopped(stopSignal, async () => {
      const app = await createDemoApp(url, gateway.adminToken, simulators.registerApp());
      out(`app          ${app.id} "Pushgate demo"`);
      const owners = await registerDemoDevices(url, app, (key) => simulators.subscribeWebPush(key));
      out(`devices      ${demoUsers.map((user) => `${user.name} (${user.devices.join(", ")})`).join(", ")}`);
      out();

      let shown = 0;
      const source = {
        gatewayUrl: url,
        appId: app.id,
        eventSecret: app.eventSecret,
        keepIds: false,
        timeoutMs: 5000,
      };
      for (const file of files) {
        const sample = await readJson(file);
        const type = (sample as { type?: string }).type ?? path.basename(file);
        const posted = await postEventSample(source, sample);
        out(`→ ${type.padEnd(24)} ${posted.detail}`);
        if (!posted.ok) continue;
        const eventId = posted.detail.split(" ").at(-1) as string;
        const status = await waitUntilEnded(url, app, eventId, 10_000);
        for (const entry of simulators.received.entries.slice(shown)) out(arrivalText(entry, owners));
        shown = simulators.received.entries.length;
        out(
          `      ${status.status}: ${status.recipients} recipients, ${status.suppressed} suppressed, ${status.deliveries.sent} sent`,
        );
      }
      return { app, owners, shown };
    });
    if (outcome === "stopped") return;
    const { app, owners, shown } = outcome;
    out();
    out(`${shown} notifications reached their simulated devices.`);
    if (!options.keepRunning) return;
    out();
    out(`Still running. Admin token: ${gateway.adminToken}`);
    out(`App ${app.id}: server key ${app.serverKey}, event secret ${app.eventSecret}`);
    out(
      `Try: npm run pushgate -- replay webhook-samples/events --gateway ${url} --app ${app.id} --secret ${app.eventSecret}`,
    );
    out("Ctrl-C stops.");
    const stopFollowing = followArrivals(
      simulators.received,
      (entry) => out(arrivalText(entry, owners)),
      shown,
    );
    await stopSignal;
    stopFollowing();
  } finally {
    await gateway.close();
    await simulators.close();
    await deleteKeysUnder(gateway.redis, settings.REDIS_PREFIX);
  }
}

export const demoCommand = new Command("demo")
  .description(
    "start the gateway on embedded defaults with FCM and APNs simulators, and show sample events travelling to simulated devices",
  )
  .option("--port <port>", "gateway port (0: any free port)", parsePort, 8080)
  .option("--samples <dir>", "the live events to play", packagedSamples)
  .option("--data-dir <dir>", "where the demo keeps its SQLite file (default: a fresh temporary folder)")
  .option("--keep-running", "leave the gateway and simulators running after the samples, until Ctrl-C")
  .action(async (options: DemoOptions) => {
    if (!options.samples) throw new UserError("--samples needs a folder");
    await demo(options);
  });
