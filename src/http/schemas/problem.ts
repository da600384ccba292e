import { z } from "zod";

/** One thing wrong with a request or an event. */
export const fieldErrorSchema = z.object({
  path: z.string().describe("Dotted path of the field, `(body)` or `(event)` for the whole"),
  message: z.string(),
});

/** RFC 9457 problem details: every error answer of the API. */
export const problemSchema = z.looseObject({
  type: z.string().describe("`urn:pushgate:problem:<slug>`, e.g. `urn:pushgate:problem:validation`"),
  title: z.string().describe("The HTTP status's reason phrase"),
  status: z.number().int(),
  detail: z.string().describe("What went wrong, for a person"),
  errors: z.array(fieldErrorSchema).optional().describe("What is wrong with the request, field by field"),
});

/** `/readyz` when a dependency does not answer. */
export const notReadyProblemSchema = problemSchema.extend({
  checks: z
    .record(z.string(), z.string())
    .describe("Each dependency (`redis`, `database`) → `ok`, or why it failed"),
});
