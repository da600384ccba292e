import { Readable } from "node:stream";
import type { Request } from "express";
import { isUnstorableText } from "../domain/json/json-bounds.js";
import { HttpProblem } from "../http/problem.js";

/** A parsed console form: text fields, and uploaded files read as text. */
export interface ConsoleForm {
  text(name: string): string;
  /** Every text value of a repeated field, in the form's order. */
  all(name: string): string[];
  /** The uploaded file's content, or "" when none was chosen. */
  file(name: string): Promise<string>;
}

class FormTooLarge extends Error {}

function limited(req: Request, limitBytes: number): ReadableStream<Uint8Array> {
  let seen = 0;
  const counted = Readable.from(
    (async function* () {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        seen += chunk.length;
        if (seen > limitBytes) throw new FormTooLarge();
        yield chunk;
      }
    })(),
  );
  return Readable.toWeb(counted) as ReadableStream<Uint8Array>;
}

/**
 * Reads a urlencoded or multipart form (file uploads) with the platform's own parser,
 * so no multipart library is needed; the body is bounded like every other request's.
 */
export async function readForm(req: Request, limitBytes: number): Promise<ConsoleForm> {
  const contentType = req.headers["content-type"] ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(contentType)) {
    throw new HttpProblem(415, "unsupported-media-type", "console forms are sent as HTML forms");
  }
  const body = limited(req, limitBytes);
  const data = await new globalThis.Request("http://console.invalid/", {
    method: "POST",
    headers: { "content-type": contentType },
    body,
    duplex: "half",
  } as RequestInit)
    .formData()
    .catch((error: unknown) => {
      // The platform's parser wraps what the stream threw.
      if (error instanceof FormTooLarge || (error as Error).cause instanceof FormTooLarge) {
        throw new HttpProblem(413, "body-too-large", `the form is larger than ${limitBytes} bytes`);
      }
      throw new HttpProblem(400, "malformed-form", "the form could not be read");
    });
  for (const [name, value] of data) {
    if (typeof value === "string" && isUnstorableText(value)) {
      throw new HttpProblem(400, "validation", `the form's ${name} holds a NUL or an unpaired surrogate`);
    }
  }
  return {
    text: (name) => {
      const value = data.get(name);
      return typeof value === "string" ? value.trim() : "";
    },
    all: (name) => data.getAll(name).flatMap((value) => (typeof value === "string" ? [value.trim()] : [])),
    file: async (name) => {
      const value = data.get(name);
      return value && typeof value !== "string" ? (await value.text()).trim() : "";
    },
  };
}
