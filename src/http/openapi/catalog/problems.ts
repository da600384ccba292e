import type { OperationResponse } from "../operation.js";

/** Error answers many operations share; the document adds the first five where they apply. */

export const unauthorized: OperationResponse = {
  description: "No credential, or not one this operation takes",
  headers: { "WWW-Authenticate": '`Bearer realm="pushgate"`' },
};

export const unknownApp: OperationResponse = {
  description: "No such app, or the server key is another app's",
};

export const invalidRequest: OperationResponse = {
  description: "The request is not valid: `errors` lists what is wrong with it",
};

export const bodyTooLarge: OperationResponse = {
  description: "The body is larger than `HTTP_BODY_LIMIT_BYTES`",
};

export const notJson: OperationResponse = {
  description: "The body is not `application/json`",
};

export const rateLimited: OperationResponse = {
  description: "Too many requests",
  headers: { "Retry-After": "Seconds until the limit lets another request through" },
};
