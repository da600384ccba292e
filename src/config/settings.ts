import { z } from "zod";

const booleanSetting = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1"),
]);
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const trustProxySetting = z.union([
  z.boolean(),
  z.number().int().nonnegative(),
  z.string().transform((value, context): boolean | number | string[] => {
    const text = value.trim();
    if (text === "true" || text === "false") return text === "true";
    if (/^\d+$/.test(text)) return Number(text);
    const proxies = text.split(",").map((entry) => entry.trim());
    if (proxies.some((entry) => entry === "" || !/^[0-9A-Za-z.:/_-]+$/.test(entry))) {
      context.addIssue({
        code: "custom",
        message: "must be true, false, a number of hops, or a list of addresses",
      });
      return z.NEVER;
    }
    return proxies;
  }),
]);
/** `host:port,host:port,…`: the Redis Sentinels or the Redis Cluster nodes to start from. */
const hostPortList = z
  .string()
  .regex(
    /^\s*[A-Za-z0-9.-]+:\d{1,5}(\s*,\s*[A-Za-z0-9.-]+:\d{1,5})*\s*$/,
    "a comma-separated list of host:port",
  )
  .transform((text) =>
    text.split(",").map((entry) => {
      const [host, port] = entry.trim().split(":") as [string, string];
      return { host, port: Number(port) };
    }),
  );
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

/**
 * Every setting, under the name it has in `config/*.json` and in the environment.
 * The environment wins over the files (docs/configuration.md).
 */
export const settingsSchema = z.object({
  PORT: port,
  /** A second listener serving only `/metrics`, for `worker` processes (no HTTP server otherwise). */
  METRICS_PORT: port.optional(),
  HOST: z.string().min(1),
  /** Unset: `sqlite:<DATA_DIR>/pushgate.db`, so that moving DATA_DIR moves the embedded database too. */
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, "must be sqlite:<path> or postgres://…")
    .optional(),
  DATABASE_POOL_SIZE: positiveInt,
  /**
   * PostgreSQL's `synchronous_commit` for Pushgate's connections. `off` does not wait for each
   * commit to reach the disk: a crash of the server may lose its last fraction of a second of
   * commits, never consistency — the promise SQLite's WAL mode and Redis's AOF (`everysec`) make.
   */
  POSTGRES_SYNCHRONOUS_COMMIT: z.enum(["on", "off"]),
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, "must be a redis:// or rediss:// URL"),
  /** Instead of `REDIS_URL`: the master named `REDIS_SENTINEL_NAME`, found through these Sentinels. */
  REDIS_SENTINELS: hostPortList.optional(),
  REDIS_SENTINEL_NAME: z.string().min(1).optional(),
  /** Instead of `REDIS_URL`: a Redis Cluster, discovered from these nodes. */
  REDIS_CLUSTER_NODES: hostPortList.optional(),
  /**
   * With `REDIS_SENTINELS` or `REDIS_CLUSTER_NODES`: the ACL user and the password the data nodes
   * (the master and its replicas, or the Cluster's nodes) take; `REDIS_URL` carries its own.
   */
  REDIS_USERNAME: z.string().min(1).optional(),
  REDIS_PASSWORD: z.string().min(1).optional(),
  /** With `REDIS_SENTINELS`: the Sentinels' own user and password (their `requirepass`). */
  REDIS_SENTINEL_USERNAME: z.string().min(1).optional(),
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  /** With `REDIS_SENTINELS` or `REDIS_CLUSTER_NODES`: TLS to every Sentinel and node (`rediss://` for `REDIS_URL`). */
  REDIS_TLS: booleanSetting,
  /** PEM file of the CAs that Redis's certificates are checked against, instead of the system's. */
  REDIS_TLS_CA_FILE: z.string().min(1).optional(),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits and _ . : - only"),
  /**
   * How long the api's Redis commands may go unanswered before the request answers 503: a
   * stalled Redis (paused, swapping, a network partition that drops packets) must not hang it.
   */
  REDIS_COMMAND_TIMEOUT_MS: positiveInt,
  DATA_DIR: z.string().min(1),
  PUSHGATE_ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  PUSHGATE_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 bytes in base64 (openssl rand -base64 32)")
    .optional(),
  PUSHGATE_ROLE: z.enum(["all", "api", "worker"]),
  FCM_ENDPOINT: httpUrl.optional(),
  APNS_PRODUCTION_ENDPOINT: z.url({ protocol: /^https$/, error: "must be an https:// URL" }).optional(),
  APNS_SANDBOX_ENDPOINT: z.url({ protocol: /^https$/, error: "must be an https:// URL" }).optional(),
  PROVIDER_CA_FILE: z.string().min(1).optional(),
  /** Replaces `https://exp.host`, the Expo push API's base URL (simulators, tests). */
  EXPO_ENDPOINT: httpUrl.optional(),
  /** How long after a send its Expo receipts are asked for (Expo has them within 15 minutes). */
  EXPO_RECEIPT_DELAY_SECONDS: z.coerce.number().int().min(0).max(86_400),
  /**
   * The hosts a Web Push subscription's endpoint may be on, comma-separated; `*.` matches any
   * subdomain. Endpoints come from browsers, so this keeps the gateway from posting anywhere else.
   */
  WEBPUSH_ALLOWED_HOSTS: z
    .string()
    .regex(
      /^\s*(\*\.)?[A-Za-z0-9.-]+(\s*,\s*(\*\.)?[A-Za-z0-9.-]+)*\s*$/,
      "a comma-separated list of host names, each may start with *.",
    ),
  ALLOW_PRIVATE_WEBHOOK_TARGETS: booleanSetting,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  /** Unset: `pretty` when stdout is a terminal, else `json`. */
  LOG_FORMAT: z.enum(["pretty", "json"]).optional(),

  HTTP_BODY_LIMIT_BYTES: positiveInt,
  /**
   * Where the client address comes from, as Express's `trust proxy` takes it: `false` (the
   * socket's peer), `true` (the left-most `X-Forwarded-For` entry), a number of proxy hops, or
   * a comma-separated list of proxy addresses/subnets (`loopback`, `10.0.0.0/8`, …).
   */
  TRUST_PROXY: trustProxySetting,
  SHUTDOWN_TIMEOUT_MS: positiveInt,
  /**
   * `pushgate start`: how far V8's old generation may grow past what survived a full collection
   * before the next one, in per cent (`--heap-growing-percent`); 0: V8's own factor, up to several
   * times. A smaller peak RSS for a few per cent of throughput (docs/scaling.md, Memory).
   */
  HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(1000),

  SECRET_ROTATION_OVERLAP_SECONDS: positiveInt,
  SESSION_TTL_SECONDS: positiveInt,
  /** How far ahead a sign-in `auth_token` may expire: a longer-lived one is refused. */
  AUTH_TOKEN_MAX_LIFETIME_SECONDS: positiveInt,
  SYNC_TOKEN_TTL_SECONDS: positiveInt,
  RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: positiveInt,
  RATE_LIMIT_SIGN_IN_PER_USER_PER_MINUTE: positiveInt,
  RATE_LIMIT_SIGN_IN_PER_APP_PER_SECOND: positiveInt,
  RATE_LIMIT_UNREGISTER_PER_ADDRESS_PER_MINUTE: positiveInt,
  RATE_LIMIT_DEVICE_WRITES_PER_MINUTE: positiveInt,
  RATE_LIMIT_TEST_NOTIFICATIONS_PER_USER_PER_MINUTE: positiveInt,

  EVENT_TIMESTAMP_TOLERANCE_SECONDS: positiveInt,
  /** Accepted events are kept this long, and with them the dedupe of their ids. */
  EVENT_RETENTION_DAYS: positiveInt,
  EVENT_BATCH_MAX: positiveInt.max(500),
  /** Events one bulk replay queues again at most; the answer says when more match. */
  EVENT_REPLAY_BULK_MAX: positiveInt,
  DEFAULT_NOTIFICATION_TTL_SECONDS: positiveInt,

  EVENT_WORKER_CONCURRENCY: positiveInt,
  DELIVERY_WORKER_CONCURRENCY: positiveInt,
  WEBHOOK_WORKER_CONCURRENCY: positiveInt,
  WORKER_LOCK_DURATION_MS: positiveInt,
  WORKER_STALLED_INTERVAL_MS: positiveInt,
  FANOUT_CHUNK_SIZE: positiveInt,
  /** Audiences up to this size are sent by the event job itself; 0: always a delivery job. */
  INLINE_DELIVERY_MAX_RECIPIENTS: z.coerce.number().int().min(0),
  DELIVERY_CONCURRENCY: positiveInt,
  APNS_MAX_STREAMS_IN_FLIGHT: positiveInt,
  DELIVERY_RETRY_BASE_MS: positiveInt,
  DELIVERY_RETRY_MAX_MS: positiveInt,

  WEBHOOK_DEFAULT_TIMEOUT_MS: positiveInt,
  /** Unset: calls are retried until the notification's TTL, with nothing else to end them. */
  WEBHOOK_MAX_ATTEMPTS: positiveInt.optional(),
  WEBHOOK_RESPONSE_LIMIT_BYTES: positiveInt,
  WEBHOOK_APP_CONCURRENCY: positiveInt,
  /** How often a webhook its failures turned off is called again, with a real event, to learn whether it is back. */
  WEBHOOK_PROBE_INTERVAL_SECONDS: positiveInt,

  /** The first retry's wait of a status callback; each next one waits twice as long. */
  STATUS_CALLBACK_RETRY_BASE_MS: positiveInt,
});

export type Settings = Omit<z.output<typeof settingsSchema>, "DATABASE_URL"> & { DATABASE_URL: string };
export type SettingName = keyof Settings;
export const settingNames = Object.keys(settingsSchema.shape) as SettingName[];

/** What is wrong with the Redis settings taken together, or undefined: each alone may be valid. */
export function redisTopologyProblem(settings: Settings): string | undefined {
  if (settings.REDIS_SENTINELS && settings.REDIS_CLUSTER_NODES)
    return "REDIS_SENTINELS and REDIS_CLUSTER_NODES: set one of them, not both (a Sentinel-watched master or a Cluster)";
  if (settings.REDIS_SENTINELS && !settings.REDIS_SENTINEL_NAME)
    return "REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the master's name the Sentinels monitor)";
  if (settings.REDIS_SENTINEL_NAME && !settings.REDIS_SENTINELS)
    return "REDIS_SENTINEL_NAME: set without REDIS_SENTINELS, which say where the Sentinels are";
  return redisAccessProblem(settings);
}

/**
 * What is wrong with the Redis credentials and TLS settings. They are for the Sentinels and the
 * Cluster, which have no URL to carry them; with `REDIS_URL` alone they are refused, since the URL
 * says it (`redis://user:password@host`, `rediss://`) and two sources could disagree — but for the
 * CA file, which a URL cannot carry.
 */
function redisAccessProblem(settings: Settings): string | undefined {
  const highlyAvailable =
    settings.REDIS_SENTINELS !== undefined || settings.REDIS_CLUSTER_NODES !== undefined;
  if (!highlyAvailable) {
    for (const name of ["REDIS_USERNAME", "REDIS_PASSWORD"] as const)
      if (settings[name] !== undefined)
        return `${name}: only with REDIS_SENTINELS or REDIS_CLUSTER_NODES; REDIS_URL carries its own (redis://user:password@host:port)`;
    if (settings.REDIS_TLS)
      return "REDIS_TLS: only with REDIS_SENTINELS or REDIS_CLUSTER_NODES; for REDIS_URL, a rediss:// URL turns TLS on";
  }
  if (!settings.REDIS_SENTINELS)
    for (const name of ["REDIS_SENTINEL_USERNAME", "REDIS_SENTINEL_PASSWORD"] as const)
      if (settings[name] !== undefined)
        return `${name}: set without REDIS_SENTINELS, the Sentinels it is the password or user of`;
  if (settings.REDIS_USERNAME !== undefined && settings.REDIS_PASSWORD === undefined)
    return "REDIS_USERNAME: set without REDIS_PASSWORD (an ACL user signs in with a password)";
  if (settings.REDIS_SENTINEL_USERNAME !== undefined && settings.REDIS_SENTINEL_PASSWORD === undefined)
    return "REDIS_SENTINEL_USERNAME: set without REDIS_SENTINEL_PASSWORD (an ACL user signs in with a password)";
  if (settings.REDIS_TLS_CA_FILE !== undefined) {
    if (highlyAvailable && !settings.REDIS_TLS)
      return "REDIS_TLS_CA_FILE: set without REDIS_TLS=true, so no connection would use it";
    if (!highlyAvailable && !settings.REDIS_URL.startsWith("rediss://"))
      return "REDIS_TLS_CA_FILE: REDIS_URL is not a rediss:// URL, so no connection would use it";
  }
  return undefined;
}
