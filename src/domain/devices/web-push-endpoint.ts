import { InvalidInputError } from "../errors.js";

/** Checks a Web Push subscription's endpoint before it is stored, rejecting with the reason. */
export type WebPushEndpointCheck = (endpoint: string) => Promise<void>;

/** Whether `host` is one of `patterns`: a host name, or `*.domain` for any host under it. */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const name = host.toLowerCase();
  return patterns.some((pattern) => {
    const wanted = pattern.toLowerCase();
    return wanted.startsWith("*.") ? name.endsWith(wanted.slice(1)) : name === wanted;
  });
}

/** `WEBPUSH_ALLOWED_HOSTS` as a list. */
export function allowedHostsOf(setting: string): string[] {
  return setting
    .split(",")
    .map((host) => host.trim())
    .filter((host) => host !== "");
}

/**
 * A subscription's endpoint is a URL a browser chose, so it is held to the push services the
 * operator allows and, like a webhook URL, to a host that resolves to no private address.
 */
export function webPushEndpointCheck(
  allowedHosts: readonly string[],
  checkAddress: (url: string) => Promise<void>,
): WebPushEndpointCheck {
  return async (endpoint) => {
    const refuse = (message: string) =>
      new InvalidInputError("the subscription's endpoint is refused", [
        { path: "subscription.endpoint", message },
      ]);
    const { hostname } = new URL(endpoint);
    if (!hostAllowed(hostname, allowedHosts))
      throw refuse(`${hostname} is not a push service this gateway sends to (WEBPUSH_ALLOWED_HOSTS)`);
    await checkAddress(endpoint).catch((error: Error) => {
      throw refuse(error.message);
    });
  };
}
