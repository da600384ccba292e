import type { Request } from "express";
import ipaddr from "ipaddr.js";

/**
 * The key of a client in per-address limits: its address as Express sees it (`TRUST_PROXY`
 * decides whether that is read from `X-Forwarded-For`), an IPv4-mapped one as its IPv4, an IPv6
 * client by its /64 — one subscriber holds a whole /64, and would otherwise have 2^64 budgets.
 */
export function clientAddressKey(req: Request): string {
  const address = req.ip ?? req.socket.remoteAddress ?? "unknown";
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const prefix = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${prefix.join(":")}::/64`;
}
