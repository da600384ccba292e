/** The body Expo answers a refused request with: the request's errors, each with Expo's code. */
export interface ExpoRequestErrors {
  errors: Array<{ code: string; message: string; isTransient: boolean }>;
}

export function expoErrors(code: string, message: string, isTransient = false): ExpoRequestErrors {
  return { errors: [{ code, message, isTransient }] };
}

/** 400 `VALIDATION_ERROR`, with a message naming the field as Expo's validator does. */
export const validationError = (message: string): ExpoRequestErrors =>
  expoErrors("VALIDATION_ERROR", message);
