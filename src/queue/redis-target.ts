import type { Settings } from "../config/settings.js";

export interface HostPort {
  host: string;
  port: number;
}

/** Where the gateway's Redis is: one server, a master watched by Sentinels, or a Cluster. */
export type RedisTarget =
  | { kind: "server"; url: string }
  | { kind: "sentinel"; sentinels: HostPort[]; name: string }
  | { kind: "cluster"; nodes: HostPort[] };

/** The Sentinel or Cluster the settings name; undefined when `REDIS_URL` says where Redis is. */
export function highAvailabilityTarget(settings: Settings): RedisTarget | undefined {
  if (settings.REDIS_SENTINELS && settings.REDIS_SENTINEL_NAME)
    return { kind: "sentinel", sentinels: settings.REDIS_SENTINELS, name: settings.REDIS_SENTINEL_NAME };
  if (settings.REDIS_CLUSTER_NODES) return { kind: "cluster", nodes: settings.REDIS_CLUSTER_NODES };
  return undefined;
}

/** For logs and messages: the URL, or the kind and its addresses. */
export function describeRedisTarget(target: RedisTarget): string {
  const list = (nodes: HostPort[]) => nodes.map(({ host, port }) => `${host}:${port}`).join(",");
  switch (target.kind) {
    case "server":
      return target.url;
    case "sentinel":
      return `sentinel ${target.name}@${list(target.sentinels)}`;
    case "cluster":
      return `cluster ${list(target.nodes)}`;
  }
}
