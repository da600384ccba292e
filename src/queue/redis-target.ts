import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import type { ClusterOptions, RedisOptions } from "ioredis";
import { ConfigError } from "../config/load.js";
import type { Settings } from "../config/settings.js";

export interface HostPort {
  host: string;
  port: number;
}

/** An ACL user (or, without `username`, the `default` one, `requirepass`) and its password. */
export interface RedisCredentials {
  username?: string;
  password: string;
}

/** TLS to Redis; `ca`: the PEM certificates of the CAs trusted instead of the system's (`REDIS_TLS_CA_FILE`). */
export interface RedisTls {
  ca?: string;
}

/**
 * Where the gateway's Redis is: one server, a master watched by Sentinels, or a Cluster, with
 * what it takes to be let in. `auth` is for the data nodes, `sentinelAuth` for the Sentinels.
 */
export type RedisTarget =
  | { kind: "server"; url: string; tls?: RedisTls }
  | {
      kind: "sentinel";
      sentinels: HostPort[];
      name: string;
      auth?: RedisCredentials;
      sentinelAuth?: RedisCredentials;
      tls?: RedisTls;
    }
  | { kind: "cluster"; nodes: HostPort[]; auth?: RedisCredentials; tls?: RedisTls };

/** The Sentinel or Cluster the settings name; undefined when `REDIS_URL` says where Redis is. */
export function highAvailabilityTarget(settings: Settings): RedisTarget | undefined {
  const access = {
    ...credentialsOf("auth", settings.REDIS_USERNAME, settings.REDIS_PASSWORD),
    ...(settings.REDIS_TLS ? { tls: redisTlsOf(settings) } : {}),
  };
  if (settings.REDIS_SENTINELS && settings.REDIS_SENTINEL_NAME)
    return {
      kind: "sentinel",
      sentinels: settings.REDIS_SENTINELS,
      name: settings.REDIS_SENTINEL_NAME,
      ...access,
      ...credentialsOf("sentinelAuth", settings.REDIS_SENTINEL_USERNAME, settings.REDIS_SENTINEL_PASSWORD),
    };
  if (settings.REDIS_CLUSTER_NODES)
    return { kind: "cluster", nodes: settings.REDIS_CLUSTER_NODES, ...access };
  return undefined;
}

function credentialsOf<Key extends "auth" | "sentinelAuth">(
  key: Key,
  username: string | undefined,
  password: string | undefined,
): { [key in Key]?: RedisCredentials } {
  if (password === undefined) return {};
  return { [key]: username === undefined ? { password } : { username, password } } as {
    [key in Key]?: RedisCredentials;
  };
}

/** TLS as the settings ask for it, the CA file read and checked now: a bad one stops the start. */
export function redisTlsOf(settings: Settings): RedisTls {
  const file = settings.REDIS_TLS_CA_FILE;
  if (file === undefined) return {};
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`REDIS_TLS_CA_FILE: cannot read ${file}: ${(error as Error).message}`);
  }
  const certificates = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certificates.length === 0)
    throw new ConfigError(
      `REDIS_TLS_CA_FILE: ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  for (const certificate of certificates) {
    try {
      new X509Certificate(certificate);
    } catch (error) {
      throw new ConfigError(
        `REDIS_TLS_CA_FILE: ${file} holds a certificate that does not parse: ${(error as Error).message}`,
      );
    }
  }
  return { ca: certificates.join("\n") };
}

function tlsOptions(tls: RedisTls): ConnectionOptions {
  return tls.ca === undefined ? {} : { ca: tls.ca };
}

/**
 * The ioredis options that let one connection to `target` in, besides where it goes: the
 * credentials and TLS, for the Sentinels and the master they name alike. For a Cluster these
 * are each node's (`redisOptions`), see `clusterAccessOptions`.
 */
export function accessOptions(target: RedisTarget): RedisOptions {
  const tls = target.tls ? tlsOptions(target.tls) : undefined;
  switch (target.kind) {
    case "server":
      // The URL's own scheme turns TLS on; this adds only the CAs it cannot carry.
      return tls ? { tls } : {};
    case "sentinel":
      return {
        ...target.auth,
        ...(target.sentinelAuth
          ? { sentinelUsername: target.sentinelAuth.username, sentinelPassword: target.sentinelAuth.password }
          : {}),
        // `tls` alone is not used for the master behind Sentinels: ioredis also wants the flag.
        ...(tls ? { tls, enableTLSForSentinelMode: true, sentinelTLS: tls } : {}),
      };
    case "cluster":
      return { ...target.auth, ...(tls ? { tls } : {}) };
  }
}

/**
 * A Cluster's options for `accessOptions`: each node's, and, with TLS, the startup nodes' names
 * kept as given — ioredis would resolve them to addresses first, and a certificate that names
 * the host, not its address, would be refused.
 */
export function clusterAccessOptions(target: RedisTarget & { kind: "cluster" }): ClusterOptions {
  return {
    redisOptions: accessOptions(target),
    ...(target.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
  };
}

/** For logs and messages: the URL, or the kind and its addresses; never a password. */
export function describeRedisTarget(target: RedisTarget): string {
  const list = (nodes: HostPort[]) => nodes.map(({ host, port }) => `${host}:${port}`).join(",");
  const tls = target.tls ? " (TLS)" : "";
  switch (target.kind) {
    case "server":
      return withoutPassword(target.url);
    case "sentinel":
      return `sentinel ${target.name}@${list(target.sentinels)}${tls}`;
    case "cluster":
      return `cluster ${list(target.nodes)}${tls}`;
  }
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === "") return url;
    parsed.password = "redacted";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//redacted@");
  }
}
