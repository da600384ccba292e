import type { ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import helmet from "helmet";

/**
 * helmet's headers, read once: with its default options they are the same for every answer,
 * and setting them as a list spares every request helmet's dozen middleware steps. Routes that
 * need another policy (the console, the API reference) still set theirs over these.
 */
function helmetHeaders(): [string, string][] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  helmet()({} as never, recorder as never, () => {});
  return [...headers];
}

const securityHeaders = helmetHeaders();

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of securityHeaders) res.setHeader(name, value);
}

export const securityHeadersMiddleware: RequestHandler = (_req, res, next) => {
  setSecurityHeaders(res);
  next();
};
