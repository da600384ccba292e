import { type ConnectionOptions, connect as tlsConnect } from "node:tls";
import { Cluster, Redis } from "ioredis";
import { ConfigError } from "../config/load.js";
import {
  accessOptions,
  clusterAccessOptions,
  describeRedisTarget,
  type HostPort,
  type RedisTarget,
} from "./redis-target.js";

/**
 * Connects to `target` once and throws a `ConfigError` naming the setting when it refuses the
 * gateway: credentials a data node or a Sentinel turns down, a certificate TLS does not accept.
 * No reconnection cures those, and a start would wait on them for ever (a worker's first
 * commands wait for Redis). A Redis that does not answer (down, out of reach, slower than
 * `timeoutMs`) is no refusal: the start goes on and the gateway waits for it as ever.
 */
export async function checkRedisAccess(target: RedisTarget, timeoutMs = 5000): Promise<void> {
  // ioredis reports a Sentinel's or a Cluster node's failed TLS handshake as a closed connection
  // only: a handshake of our own names the certificate problem.
  if (target.kind !== "server" && target.tls) {
    const tls = accessOptions(target).tls ?? {};
    const nodes = target.kind === "sentinel" ? target.sentinels : target.nodes;
    const outcomes = await Promise.all(nodes.map((node) => tlsHandshake(node, tls, timeoutMs)));
    const failure = outcomes.find((outcome) => typeof outcome === "object" && isTlsFailure(outcome.error));
    if (typeof failure === "object") {
      const { node, error } = failure;
      const what = target.kind === "sentinel" ? "Sentinel" : "Cluster node";
      throw new ConfigError(
        `${tlsSetting(target, error)}: TLS with ${what} ${node.host}:${node.port} failed: ${describeError(error)}`,
      );
    }
  }
  const probe = connectOnce(target, timeoutMs);
  const errors: Error[] = [];
  probe.on("error", (error: Error) => errors.push(error));
  probe.on("node error", (error: Error) => errors.push(error));
  let ready = false;
  try {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      probe.once("ready", () => {
        ready = true;
        done();
      });
      probe.once("end", done);
    });
  } finally {
    probe.disconnect();
  }
  for (const error of errors) {
    const refusal = refusalOf(error, target);
    if (refusal !== undefined) throw new ConfigError(refusal);
  }
  if (!ready && errors.some((error) => /Connection is closed/.test(causeOf(error).message))) {
    const speaksTls = await plainClientOnTlsPort(target, timeoutMs);
    if (speaksTls) throw new ConfigError(speaksTls);
  }
}

/**
 * When connections without TLS were closed on them: whether the first Sentinel or node (or
 * the server) speaks TLS instead, which closes them so; what to set then.
 */
async function plainClientOnTlsPort(target: RedisTarget, timeoutMs: number): Promise<string | undefined> {
  let node: HostPort | undefined;
  if (target.kind === "server") {
    const url = new URL(target.url);
    if (url.protocol === "rediss:") return undefined;
    node = { host: url.hostname, port: Number(url.port || 6379) };
  } else {
    if (target.tls) return undefined;
    [node] = target.kind === "sentinel" ? target.sentinels : target.nodes;
  }
  if (!node) return undefined;
  // Whose certificate it is does not matter: only whether TLS answers.
  if ((await tlsHandshake(node, { rejectUnauthorized: false }, timeoutMs)) !== "done") return undefined;
  return target.kind === "server"
    ? `REDIS_URL: ${node.host}:${node.port} speaks TLS: give a rediss:// URL`
    : `REDIS_TLS: ${node.host}:${node.port} speaks TLS, and REDIS_TLS is not true`;
}

/** One connection to `target`, as the gateway's are made but for their retries: none. */
function connectOnce(target: RedisTarget, timeoutMs: number): Redis | Cluster {
  const once = { retryStrategy: () => null, connectTimeout: timeoutMs, maxRetriesPerRequest: 0 };
  switch (target.kind) {
    case "server":
      return new Redis(target.url, { ...accessOptions(target), ...once });
    case "sentinel":
      return new Redis({
        sentinels: target.sentinels,
        name: target.name,
        ...accessOptions(target),
        ...once,
        sentinelRetryStrategy: () => null,
      });
    case "cluster": {
      const access = clusterAccessOptions(target);
      return new Cluster(target.nodes, {
        ...access,
        redisOptions: { ...access.redisOptions, ...once },
        clusterRetryStrategy: () => null,
      });
    }
  }
}

/** The error under a Cluster's "Failed to refresh slots cache." */
export function causeOf(error: Error): Error {
  return (error as { lastNodeError?: Error }).lastNodeError ?? error;
}

/**
 * What a refusal that no reconnection cures says, starting with the setting to look at; or
 * undefined for any other error (Redis down or out of reach, a failover under way).
 */
export function refusalOf(error: Error, target: RedisTarget): string | undefined {
  const cause = causeOf(error);
  const text = cause.message;
  const bySentinels = target.kind === "sentinel" && text.startsWith("All sentinels are unreachable");
  const who =
    target.kind === "server"
      ? `Redis at ${describeRedisTarget(target)}`
      : bySentinels
        ? "the Sentinels"
        : target.kind === "sentinel"
          ? `master ${target.name} (as the Sentinels name it)`
          : "the Cluster's nodes";
  const require = bySentinels || target.kind === "cluster" ? "require" : "requires";
  const reply = /\b(WRONGPASS|NOAUTH)\b.*/.exec(text);
  if (reply) {
    if (target.kind === "server") return `REDIS_URL: ${who} refused the URL's credentials (${reply[0]})`;
    const setting = bySentinels ? "REDIS_SENTINEL_PASSWORD" : "REDIS_PASSWORD";
    const auth = bySentinels ? target.sentinelAuth : target.auth;
    if (auth === undefined) return `${setting}: ${who} ${require} a password, and none is set (NOAUTH)`;
    const user = auth.username === undefined ? "" : ` of user ${auth.username}`;
    return `${setting}: ${who} refused the password${user} (${reply[0]})`;
  }
  if (isTlsFailure(cause))
    return `${tlsSetting(target, cause)}: TLS with ${who} failed: ${describeError(cause)}`;
  return undefined;
}

/** A certificate refused, or a TLS handshake with something that does not speak TLS. */
function isTlsFailure(error: Error): boolean {
  const code = String((error as NodeJS.ErrnoException).code ?? "");
  return (
    /CERT|SELF_SIGNED|ISSUER|ALTNAME|HOSTNAME|^ERR_SSL_|^ERR_TLS_/.test(code) ||
    /certificate|wrong version number|ssl routines/i.test(error.message)
  );
}

/** The setting to look at: the one that turns TLS on when the other end does not speak it, else the CAs'. */
function tlsSetting(target: RedisTarget, error: Error): string {
  const noTls = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG/.test(
    String((error as NodeJS.ErrnoException).code),
  );
  if (target.kind === "server")
    return target.tls?.ca !== undefined && !noTls ? "REDIS_TLS_CA_FILE" : "REDIS_URL";
  return target.tls?.ca !== undefined && !noTls ? "REDIS_TLS_CA_FILE" : "REDIS_TLS";
}

function describeError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${error.message} (${code})` : error.message;
}

/**
 * A TLS handshake with `node`, with the connections' own options: `"done"`, `"no answer"` within
 * `timeoutMs`, or how it failed.
 */
function tlsHandshake(
  node: HostPort,
  options: ConnectionOptions,
  timeoutMs: number,
): Promise<"done" | "no answer" | { node: HostPort; error: Error }> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: node.host, port: node.port, ...options });
    const settle = (outcome: "done" | "no answer" | { node: HostPort; error: Error }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle("no answer"), timeoutMs);
    socket.once("secureConnect", () => settle("done"));
    socket.once("error", (error: Error) => settle({ node, error }));
  });
}
