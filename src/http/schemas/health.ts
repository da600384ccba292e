import { z } from "zod";

export const healthResponseSchema = z.object({ status: z.literal("ok") });

export const readinessResponseSchema = z.object({
  status: z.literal("ready"),
  checks: z.record(z.string(), z.literal("ok")).describe("Each dependency (`redis`, `database`) → `ok`"),
});
