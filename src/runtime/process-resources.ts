import { createServer, type RequestListener, type Server } from "node:http";
import type { Queue } from "bullmq";
import type { Logger } from "../observability/logger.js";
import { createQueue, type QueueName } from "../queue/queues.js";
import {
  connectRedis,
  type RedisConnection,
  type RedisConnectionSettings,
  type RedisRole,
} from "../queue/redis.js";
import type { RedisTarget } from "../queue/redis-target.js";

/**
 * What a gateway process opens — Redis connections, queues, listeners, clients — and
 * closes again in reverse order, within a deadline past which connections are cut.
 */
export class ProcessResources {
  private readonly closers: (() => Promise<unknown>)[] = [];
  private readonly connections: RedisConnection[] = [];
  private readonly servers: Server[] = [];

  constructor(
    private readonly redis: RedisConnectionSettings,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  /** Where the process's Redis is. */
  get redisTarget(): RedisTarget {
    return this.redis.target;
  }

  /** Runs `close` when the process shuts down, before what was opened earlier. */
  onClose(close: () => Promise<unknown>): void {
    this.closers.unshift(close);
  }

  connect(role: RedisRole): RedisConnection {
    const redis = connectRedis(this.redis, role, this.logger);
    this.connections.push(redis);
    this.onClose(() => redis.quit().catch(() => redis.disconnect()));
    return redis;
  }

  queue<Data>(name: QueueName, connection: RedisConnection): Queue<Data> {
    const queue = createQueue<Data>(name, connection, this.prefix, this.logger);
    this.onClose(() => queue.close());
    return queue;
  }

  async listen(listener: RequestListener, port: number, host: string): Promise<Server> {
    const server = createServer(listener).listen(port, host);
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    this.servers.push(server);
    this.onClose(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );
    return server;
  }

  /** Closes everything, newest first; a step that outlives the deadline gets its connections cut. */
  async close(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const close of this.closers.splice(0)) {
      const left = deadline - Date.now();
      if (left <= 0) this.cutConnections();
      try {
        await withTimeout(close(), Math.max(left, 1000));
      } catch (error) {
        this.logger.error({ err: error }, "shutdown step failed or took too long; cutting connections");
        this.cutConnections();
      }
    }
  }

  private cutConnections(): void {
    for (const server of this.servers) server.closeAllConnections();
    for (const redis of this.connections) redis.disconnect();
  }
}

function withTimeout(work: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no end within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
