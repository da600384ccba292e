import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { messageEvent, postEvent } from "../support/events.js";
import { userWithDevices } from "../support/push-world.js";
import { createApp, startTestGateway } from "../support/test-gateway.js";
import { RunningCli } from "./cli-process.js";

describe("pushgate simulate", function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), "pushgate-simulate-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the settings to export; a gateway using them delivers to the simulators, which log it", async () => {
    const appFile = path.join(dir, "simulator-app.json");
    const cli = new RunningCli([
      "simulate",
      ...["--fcm-port", "0", "--apns-production-port", "0", "--apns-sandbox-port", "0"],
      ...["--expo-port", "0", "--webpush-port", "0"],
      ...["--app-file", appFile],
    ]);
    try {
      await cli.waitForOutput(/Ctrl-C stops/);
      const exported = Object.fromEntries(
        [...cli.stdout.matchAll(/^export (\w+)=(.+)$/gm)].map((match) => [match[1], match[2]]),
      );
      expect(Object.keys(exported)).to.deep.equal([
        "FCM_ENDPOINT",
        "APNS_PRODUCTION_ENDPOINT",
        "APNS_SANDBOX_ENDPOINT",
        "EXPO_ENDPOINT",
        "PROVIDER_CA_FILE",
        "WEBPUSH_ALLOWED_HOSTS",
      ]);
      expect(exported.FCM_ENDPOINT).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);

      const gw = await startTestGateway(exported);
      try {
        const app = await createApp(gw, JSON.parse(readFileSync(appFile, "utf8")));
        await userWithDevices(gw, app, "u2", { android: true, ios: true });
        const event = messageEvent();
        expect((await postEvent(gw, app, event)).status).to.equal(202);
        await cli.waitForOutput(/ fcm → \S+ {2}"Alice \(Team\)": hello\n/);
        await cli.waitForOutput(/ apns-production \(alert\) → \S+ {2}"Alice \(Team\)": hello\n/);
      } finally {
        await gw.close();
      }
    } finally {
      expect(await cli.stop()).to.equal(0);
    }
  });
});
