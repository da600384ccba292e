import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import type { TestApp } from "./client.js";

/** The gateway a suite runs against, and an app created on it. */
export interface GatewayWithApp {
  gw: TestGateway;
  app: TestApp;
}

/**
 * Starts a test gateway and creates an app on it before the suite's tests, hands them to
 * `take` (to set the suite's variables), and closes the gateway after.
 */
export function useGatewayWithApp(take: (started: GatewayWithApp) => void): void {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
    take({ gw, app: await createApp(gw) });
  });
  after(() => gw.close());
}
