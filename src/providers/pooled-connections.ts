import type { AgentOptions } from "node:https";

/** How long a connection to a provider may stay idle in a pool (and a request silent). */
const idleConnectionTimeoutMs = 60_000;

/**
 * The options of every provider's HTTP/1.1 connection pool: connections kept alive, with an idle
 * timeout of their own. With one, Node's agent also honours a provider's `Keep-Alive: timeout=N`,
 * letting an idle connection go a second before the provider closes it; without one it ignores
 * the hint, and a send that reuses the connection as it closes fails with "socket hang up".
 */
export const pooledConnections = {
  keepAlive: true,
  timeout: idleConnectionTimeoutMs,
} as const satisfies AgentOptions;
