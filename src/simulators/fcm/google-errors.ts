/** Google's JSON error body (google.rpc.Status), as FCM HTTP v1 answers it. */
export interface GoogleError {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

const fcmErrorType = "type.googleapis.com/google.firebase.fcm.v1.FcmError";

export function googleError(code: number, status: string, message: string, details?: unknown[]): GoogleError {
  return { error: { code, message, status, ...(details && { details }) } };
}

/** An error with FCM's own code in `details`, which is what clients switch on. */
export function fcmError(code: number, status: string, message: string, errorCode: string): GoogleError {
  return googleError(code, status, message, [{ "@type": fcmErrorType, errorCode }]);
}

/** 400 INVALID_ARGUMENT naming the offending field, as FCM reports a malformed message. */
export function invalidArgument(field: string, description: string): GoogleError {
  return googleError(400, "INVALID_ARGUMENT", description, [
    { "@type": fcmErrorType, errorCode: "INVALID_ARGUMENT" },
    { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field, description }] },
  ]);
}

export const unauthenticated = (message: string): GoogleError => googleError(401, "UNAUTHENTICATED", message);

export const permissionDenied = (message: string): GoogleError =>
  googleError(403, "PERMISSION_DENIED", message);
