import https from "node:https";
import { expect } from "chai";
import { EndpointAgent } from "../../src/providers/fcm/endpoint-agent.js";
import { PushDispatcher } from "../../src/providers/push-dispatcher.js";
import { trustedContext } from "../../src/providers/trusted-context.js";
import { generateAppCredentials } from "../../src/simulators/simulated-credentials.js";
import { type Simulators, startSimulators } from "../../src/simulators/simulators.js";
import { appWith, fcmToken, pushMessage, receivedOnce, silentLogger } from "./support.js";

/**
 * Without `FCM_ENDPOINT` firebase-admin's own `cert()` credential asks Google's token host for
 * its access tokens and the sends go to Google's FCM host, both through Node's global HTTPS
 * agent. Pointing that agent at the simulator runs this production configuration, unchanged.
 */
describe("FCM without FCM_ENDPOINT: firebase-admin's cert() credential against the FCM simulator", () => {
  let simulators: Simulators;
  let dispatcher: PushDispatcher;
  let globalAgent: https.Agent;

  before(async () => {
    simulators = await startSimulators();
    globalAgent = https.globalAgent;
    https.globalAgent = new EndpointAgent(
      new URL(simulators.endpoints.fcmEndpoint),
      trustedContext(simulators.endpoints.caFile),
    );
    dispatcher = new PushDispatcher({ apnsMaxStreamsInFlight: 10, concurrency: 4, logger: silentLogger });
  });

  after(async () => {
    await dispatcher.close();
    https.globalAgent.destroy();
    https.globalAgent = globalAgent;
    await simulators.close();
  });

  it("gets an access token from Google's token host and sends with it", async () => {
    const credentials = simulators.registerApp();
    const token = fcmToken();

    const [outcome] = await dispatcher.send(appWith(credentials), pushMessage(), [
      { provider: "gcm", token },
    ]);

    expect(outcome?.status).to.equal("sent");
    expect(receivedOnce(simulators, token).sender).to.equal(credentials.fcm.client_email);
  });

  it("fails, as for good, when the token host does not know the service account", async () => {
    const [outcome] = await dispatcher.send(appWith(generateAppCredentials()), pushMessage(), [
      { provider: "gcm", token: fcmToken() },
    ]);

    expect(outcome).to.include({ status: "failed" });
    expect(outcome).to.have.property("reason").that.includes("invalid_grant");
  });
});
