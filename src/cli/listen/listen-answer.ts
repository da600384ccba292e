import { readFile } from "node:fs/promises";
import { answerSchema } from "../../webhooks/customer-answer.js";
import { UserError } from "../user-error.js";

/** What the receiver answers to every delivery. */
export interface ListenAnswer {
  status: number;
  /** Empty for a bare status. */
  body: string;
  /** Why the answer will not do what one may expect of it, said once at start. */
  caveat?: string;
  /** Printed after the answer of each delivery, e.g. `outage`. */
  label?: string;
}

export interface AnswerChoice {
  action: "send" | "drop";
  edit?: string;
  status?: number;
}

export async function chooseAnswer(choice: AnswerChoice): Promise<ListenAnswer> {
  if (choice.status !== undefined) return { status: choice.status, body: "" };
  if (choice.edit === undefined) return { status: 200, body: JSON.stringify({ action: choice.action }) };
  const text = await readFile(choice.edit, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`--edit ${choice.edit}: cannot read it (${error.code ?? error.message})`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`--edit ${choice.edit}: not JSON (${(error as Error).message})`);
  }
  const parsed = answerSchema.safeParse(json);
  const issue = parsed.error?.issues[0];
  return {
    status: 200,
    body: JSON.stringify(json),
    caveat: issue
      ? `${choice.edit} is not a send/drop answer (${issue.path.join(".") || "(body)"} ${issue.message}): Pushgate will record an error and apply the app's fallback`
      : undefined,
  };
}
