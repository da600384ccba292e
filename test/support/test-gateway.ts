import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadSettings } from "../../src/config/load.js";
import type { Settings } from "../../src/config/settings.js";
import type { Clock } from "../../src/domain/clock.js";
import { createLogger, type Logger } from "../../src/observability/logger.js";
import { deleteKeysUnder } from "../../src/queue/redis-keys.js";
import { Gateway } from "../../src/runtime/gateway.js";
import { testDatabase } from "./test-database.js";

/** Read when used: the root hooks may set TEST_REDIS_URL to a private server. */
export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
}

/** The real time, moved forward by what a test skips: expiry is reached without waiting for it. */
export class TestClock implements Clock {
  private skippedMs = 0;

  now(): Date {
    return new Date(Date.now() + this.skippedMs);
  }

  advance(ms: number): void {
    this.skippedMs += ms;
  }
}

export interface TestGateway {
  gateway: Gateway;
  /** The gateway's time: `advance` it to expire what it issued. */
  clock: TestClock;
  url: string;
  adminToken: string;
  settings: Settings;
  dataDir: string;
  /** fetch against the gateway; JSON bodies are serialised, answers parsed. */
  request(method: string, pathname: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  token?: string;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  body: any;
}

/**
 * A real gateway on a fresh database (a SQLite file, or a PostgreSQL database when
 * `TEST_DATABASE_URL` is set) unless `DATABASE_URL` is given, and its own Redis key
 * prefix, on the real Redis (`TEST_REDIS_URL`, default the local one).
 */
export async function startTestGateway(
  overrides: Partial<Record<keyof Settings, unknown>> = {},
  logger?: Logger,
): Promise<TestGateway> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "pushgate-test-"));
  const database = "DATABASE_URL" in overrides ? null : testDatabase(dataDir);
  const settings = loadSettings({
    env: {},
    overrides: {
      PORT: 0,
      DATA_DIR: dataDir,
      DATABASE_URL: database?.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: `pgtest-${randomBytes(6).toString("hex")}`,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
      ALLOW_PRIVATE_WEBHOOK_TARGETS: true,
      ...overrides,
    },
  });
  await database?.create();
  const clock = new TestClock();
  const gateway = await Gateway.start(settings, logger ?? createLogger(settings.LOG_LEVEL), clock).catch(
    async (error: unknown) => {
      await database?.drop();
      throw error;
    },
  );
  const url = gateway.url ?? "";

  const request = httpClient(url).request;
  return {
    gateway,
    clock,
    url,
    adminToken: gateway.adminToken,
    settings,
    dataDir,
    request,
    async close() {
      await gateway.close();
      await deleteKeysUnder(testRedisUrl(), settings.REDIS_PREFIX);
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Something that answers HTTP like a gateway: an in-process one or a gateway process. */
export interface HttpClient {
  request(method: string, pathname: string, options?: RequestOptions): Promise<TestResponse>;
}

/** fetch against `url`; JSON bodies are serialised, answers parsed. */
export function httpClient(url: string): HttpClient {
  async function request(
    method: string,
    pathname: string,
    options: RequestOptions = {},
  ): Promise<TestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(url + pathname, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if (text && /json/.test(response.headers.get("content-type") ?? "")) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed };
  }
  return { request };
}

/** Creates an app as the operator and returns its JSON (with the secrets). */
export async function createApp(gw: HttpClient & { adminToken: string }, body: Record<string, unknown> = {}) {
  const response = await gw.request("POST", "/v1/apps", {
    token: gw.adminToken,
    body: { name: "Test app", ...body },
  });
  if (response.status !== 201)
    throw new Error(`creating an app failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as {
    id: string;
    api_key: string;
    server_key: string;
    event_secret: string;
    webhook_secret: string;
    [field: string]: unknown;
  };
}
