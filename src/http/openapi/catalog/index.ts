import type { Operation } from "../operation.js";
import { appOperations } from "./apps.js";
import { clientOperations } from "./clients.js";
import { eventOperations } from "./events.js";
import { operatorOperations } from "./operator.js";
import { templateOperations } from "./templates.js";

/** Every operation the gateway serves, in the order the reference shows them. */
export const operations: Operation[] = [
  ...appOperations,
  ...eventOperations,
  ...clientOperations,
  ...templateOperations,
  ...operatorOperations,
];
