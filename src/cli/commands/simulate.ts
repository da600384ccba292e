import { Command } from "commander";
import { startSimulators } from "../../simulators/simulators.js";
import { parsePort } from "../option-parsers.js";
import { followArrivals } from "../simulate/arrivals.js";
import { receivedText } from "../simulate/received-text.js";
import { writeSimulatedAppFile } from "../simulate/simulated-app-file.js";
import { untilStopSignal } from "../stop-signal.js";
import { listenError } from "../user-error.js";

interface SimulateOptions {
  host: string;
  fcmPort: number;
  apnsProductionPort: number;
  apnsSandboxPort: number;
  expoPort: number;
  webpushPort: number;
  fcmPlaintext?: boolean;
  appFile: string;
}

/** FCM, APNs, Expo and Web Push simulators on this machine, logging what they receive. */
async function simulate(options: SimulateOptions): Promise<void> {
  const simulators = await startSimulators({
    host: options.host,
    ports: {
      fcm: options.fcmPort,
      apnsProduction: options.apnsProductionPort,
      apnsSandbox: options.apnsSandboxPort,
      expo: options.expoPort,
      webPush: options.webpushPort,
    },
    fcmPlaintext: options.fcmPlaintext,
  }).catch((error: unknown) => {
    throw listenError(
      error,
      "--host, --fcm-port, --apns-production-port, --apns-sandbox-port, --expo-port, --webpush-port",
    );
  });
  await writeSimulatedAppFile(options.appFile, simulators.registerApp());
  const exports = Object.entries(simulators.env).map(([name, value]) => `export ${name}=${value}`);
  process.stdout.write(
    [
      "FCM, APNs, Expo and Web Push simulators are running. Start the gateway with:",
      ...exports,
      `and give an app the credentials they accept (new at every start): PATCH /v1/apps/{app_id} with ${options.appFile}`,
      "Each notification they receive is shown below; Ctrl-C stops.",
      "",
    ].join("\n"),
  );
  const stopFollowing = followArrivals(simulators.received, (entry) =>
    process.stdout.write(receivedText(entry)),
  );
  await untilStopSignal();
  stopFollowing();
  await simulators.close();
}

export const simulateCommand = new Command("simulate")
  .description(
    "run FCM, APNs, Expo and Web Push simulators (the ones the tests use) and log each notification they receive",
  )
  .option("--host <host>", "address to listen on", "127.0.0.1")
  .option("--fcm-port <port>", "FCM simulator port (0: any free port)", parsePort, 9443)
  .option("--apns-production-port <port>", "APNs production simulator port", parsePort, 9444)
  .option("--apns-sandbox-port <port>", "APNs sandbox simulator port", parsePort, 9445)
  .option("--expo-port <port>", "Expo push service simulator port", parsePort, 9446)
  .option("--webpush-port <port>", "Web Push service simulator port", parsePort, 9447)
  .option("--fcm-plaintext", "serve FCM over http:// instead of https://")
  .option(
    "--app-file <file>",
    "where to write the app settings the simulators accept",
    "data/simulator-app.json",
  )
  .action(simulate);
