import { isIPv6 } from "node:net";
import type { Request } from "express";

/** The eight 16-bit groups of an IPv6 address, `::` expanded. */
function ipv6Groups(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  // A dotted IPv4 tail (`64:ff9b::192.0.2.1`) stands for two groups.
  const dottedTail = tailGroups.at(-1)?.includes(".") ? 1 : 0;
  const missing = 8 - headGroups.length - tailGroups.length - dottedTail;
  return [...headGroups, ...Array<string>(Math.max(0, missing)).fill("0"), ...tailGroups];
}

/**
 * The key of a client in per-address limits: its address as Express sees it (`TRUST_PROXY`
 * decides whether that is read from `X-Forwarded-For`), an IPv6 client by its /64 — one
 * subscriber holds a whole /64, and would otherwise have 2^64 budgets.
 */
export function clientAddressKey(req: Request): string {
  const address = req.ip ?? req.socket.remoteAddress ?? "unknown";
  if (!isIPv6(address) || address.startsWith("::ffff:")) return address.replace(/^::ffff:/, "");
  const groups = ipv6Groups(address.toLowerCase());
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}
