import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import { type Express, Router } from "express";
import helmet from "helmet";
import type { BrowserSessionRevocations } from "../browser-revocations.js";
import { adminBrowserSignOut, requireAdminBrowser } from "../middleware/admin-browser-auth.js";

const basePath = "/admin/queues";

/** The dashboard asks for web fonts from a CDN; it renders with local ones instead. */
const noExternalStyles = helmet.contentSecurityPolicy({
  directives: { "style-src": ["'self'", "'unsafe-inline'"], "font-src": ["'self'", "data:"] },
});

/** bull-board at `/admin/queues`, for the operator (admin token). */
export function queueDashboardRoutes(
  queues: Queue[],
  adminToken: string,
  revocations: BrowserSessionRevocations,
  signedOutPage: string,
): Router {
  const serverAdapter = new ExpressAdapter().setBasePath(basePath);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: "Pushgate queues" } },
  });
  const dashboard = serverAdapter.getRouter() as Express;
  dashboard.disable("x-powered-by");
  const router = Router();
  router.use(adminBrowserSignOut(adminToken, "/admin", revocations, signedOutPage));
  router.use(basePath, requireAdminBrowser(adminToken, "/admin", revocations), noExternalStyles, dashboard);
  return router;
}
