import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

/** Refused webhook target: the message says why. */
export class UnsafeTargetError extends Error {
  override name = "UnsafeTargetError";
}

/** Loopback, private, link-local, CGNAT, multicast, documentation and reserved ranges. */
const forbidden = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  forbidden.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  // Unspecified, loopback, and the deprecated IPv4-compatible form (`[::127.0.0.1]`).
  ["::", 96],
  // IPv4-translated (`[::ffff:0:127.0.0.1]`): an IPv4 address in IPv6 clothing.
  ["::ffff:0:0:0", 96],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  forbidden.addSubnet(network, prefix, "ipv6");
}

/** True for an address a webhook must not reach (IPv4-mapped IPv6 judged as its IPv4). */
export function isForbiddenAddress(address: string): boolean {
  const mapped = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped?.[1]) return forbidden.check(mapped[1], "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return forbidden.check(address, family === 4 ? "ipv4" : "ipv6");
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `dns.lookup` for outgoing webhook connections that refuses forbidden addresses.
 * The connection uses exactly the addresses checked here, so a DNS answer that
 * changes between a check and the connect (rebinding) cannot slip through.
 */
export function guardedLookup(
  hostname: string,
  options: { all?: boolean; family?: number },
  callback: LookupCallback,
): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list = addresses as LookupAddress[];
    const refused = list.find((entry) => isForbiddenAddress(entry.address));
    if (refused || list.length === 0) {
      const reason = new UnsafeTargetError(
        `${hostname} resolves to ${refused?.address ?? "nothing"}, a loopback, private or reserved address`,
      ) as NodeJS.ErrnoException;
      reason.code = "EUNSAFETARGET";
      return callback(reason, []);
    }
    if (options.all) return callback(null, list);
    const first = list[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
}

/**
 * The reason a URL whose host is an IP literal must not be called, or null. The connection's
 * DNS lookup, which checks host names, is never asked about a literal.
 */
export function refusedLiteralTarget(url: string): string | null {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  return isIP(host) && isForbiddenAddress(host) ? `${host} is a loopback, private or reserved address` : null;
}

/**
 * Checks a webhook URL at configuration time: http(s), and a host that does not
 * resolve to a forbidden address. A host that does not resolve yet is let through;
 * delivery checks again at every connect.
 */
export async function checkWebhookTarget(url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsafeTargetError("webhook.url is not a URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new UnsafeTargetError("webhook.url must be http:// or https://");
  }
  const refused = refusedLiteralTarget(url);
  if (refused) throw new UnsafeTargetError(refused);
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return;
  await new Promise<void>((resolve, reject) => {
    guardedLookup(host, { all: true }, (error) => {
      if (error instanceof UnsafeTargetError) reject(error);
      else resolve();
    });
  });
}
