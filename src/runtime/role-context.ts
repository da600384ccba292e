import type { Settings } from "../config/settings.js";
import type { Clock } from "../domain/clock.js";
import type { Logger } from "../observability/logger.js";
import type { GatewayMetrics } from "../observability/metrics.js";
import type { Store } from "../storage/store.js";
import type { ProcessResources } from "./process-resources.js";

/** What the api and worker roles of a gateway process are built from. */
export interface RoleContext {
  settings: Settings;
  logger: Logger;
  store: Store;
  metrics: GatewayMetrics;
  resources: ProcessResources;
  adminToken: string;
  masterKey: Buffer;
  clock: Clock;
}
