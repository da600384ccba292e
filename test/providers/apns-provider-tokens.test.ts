import { expect } from "chai";
import { toApnsNotification } from "../../src/providers/apns/apns-notification.js";
import { apnsOutcome } from "../../src/providers/apns/apns-outcome.js";
import { ApnsProviders } from "../../src/providers/apns/apns-providers.js";
import type { PushDispatcher } from "../../src/providers/push-dispatcher.js";
import { trustedContext } from "../../src/providers/trusted-context.js";
import type { Simulators } from "../../src/simulators/simulators.js";
import {
  apnsToken,
  appWith,
  atClientTime,
  ManualClock,
  pushMessage,
  useDispatcher,
  useSimulators,
} from "./support.js";

const minutes = (count: number) => count * 60_000;

/**
 * node-apn signs a provider token when its `Provider` is built and signs a new one when its own
 * clock says the token is 55 minutes old, or when APNs answers ExpiredProviderToken. These tests
 * move this process's clock (`atClientTime`) and the simulators' (`ManualClock`) to get there.
 */
describe("APNs provider tokens, through node-apn and Pushgate", () => {
  describe("when APNs's clock runs ahead of Pushgate's", () => {
    const clock = new ManualClock();
    let simulators: Simulators;
    let dispatcher: PushDispatcher;

    useDispatcher((world) => ({ simulators, dispatcher } = world), { clock: clock.now });

    it("retries a send refused with ExpiredProviderToken, and the retry carries node-apn's new token", async () => {
      const app = appWith(simulators.registerApp());
      const token = apnsToken("production");
      const send = () => dispatcher.send(app, pushMessage(), [{ provider: "apns", token }]);

      // The connection's provider token was signed 30 minutes ago by Pushgate's clock...
      const [fresh] = await atClientTime(-minutes(30), send);
      // ...which runs 31 minutes behind APNs's: to APNs the token is 61 minutes old.
      clock.advance(minutes(31));
      const [expired] = await send();
      const [retried] = await send();

      expect(fresh?.status).to.equal("sent");
      expect(expired).to.deep.equal({
        status: "retry",
        reason: "ExpiredProviderToken",
        providerStatus: "403",
      });
      expect(retried?.status).to.equal("sent");
      expect(simulators.received.forToken(token)).to.have.length(2);
    });
  });

  describe("when the clocks agree", () => {
    const clock = new ManualClock();
    let simulators: Simulators;
    let providers: ApnsProviders;

    useSimulators((world) => ({ simulators } = world), { clock: clock.now });

    beforeEach(() => {
      providers = new ApnsProviders({
        endpoints: { production: simulators.endpoints.apnsProductionEndpoint },
        secureContext: trustedContext(simulators.endpoints.caFile),
        maxStreamsInFlight: 10,
      });
    });

    afterEach(() => providers.close());

    /** A connection with a fresh app's key, its node-apn token, and a notification to send on it. */
    function connection() {
      const credentials = simulators.registerApp();
      const { provider } = providers.connection(appWith(credentials), credentials.apns, "production");
      return {
        provider,
        providerToken: (provider as unknown as ProviderInternals).client.config.token,
        notification: toApnsNotification(pushMessage(), credentials.apns.bundleId, false),
      };
    }

    it("accepts node-apn's own renewal of its token at 55 minutes on the same connection", async () => {
      const { provider, providerToken, notification } = atClientTime(-minutes(54), connection);
      const token = apnsToken("production");

      const before = await provider.send(notification, token);
      clock.advance(minutes(1));
      const after = await atClientTime(minutes(1), () => provider.send(notification, token));

      expect(providerToken.generation).to.equal(1);
      expect([before.sent.length, after.sent.length]).to.deep.equal([1, 1]);
    });

    it("refuses a token renewed at once as TooManyProviderTokenUpdates, which Pushgate retries", async () => {
      const { provider, providerToken, notification } = connection();
      const token = apnsToken("production");

      const first = await provider.send(notification, token);
      providerToken.regenerate(providerToken.generation);
      const renewedAtOnce = await provider.send(notification, token);

      expect(first.sent).to.have.length(1);
      expect(renewedAtOnce.failed[0]).to.deep.include({
        status: 429,
        response: { reason: "TooManyProviderTokenUpdates" },
      });
      expect(apnsOutcome(renewedAtOnce)).to.deep.equal({
        status: "retry",
        reason: "TooManyProviderTokenUpdates",
        providerStatus: "429",
      });
    });
  });
});

/** The part of node-apn's `Provider` that holds its provider token (not in its typings). */
interface ProviderInternals {
  client: { config: { token: { generation: number; regenerate(generation: number): void } } };
}
