import type { PushOutcome } from "./push-provider.js";

/** The same `failed` outcome for every token, when none of them can be sent. */
export function failAll(tokens: string[], reason: string): Promise<PushOutcome>[] {
  const outcome: PushOutcome = { status: "failed", reason };
  return tokens.map(() => Promise.resolve(outcome));
}
