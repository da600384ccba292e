import { mkdtempSync, renameSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { freshPostgresDatabase } from "../support/test-database.js";
import { startTestGateway, type TestGateway, type TestResponse } from "../support/test-gateway.js";

/**
 * A TCP relay to a PostgreSQL server that can refuse service at will: while refusing, it cuts
 * the connections it carries and every new one, so the gateway sees the database go away.
 */
class CuttableRelay {
  private refusing = false;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server) {}

  static async to(host: string, port: number): Promise<CuttableRelay> {
    const server = net.createServer();
    const relay = new CuttableRelay(server);
    server.on("connection", (client) => relay.carry(client, host, port));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return relay;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  private carry(client: net.Socket, host: string, port: number): void {
    if (this.refusing) return void client.destroy();
    const upstream = net.connect(port, host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  }

  cut(): void {
    this.refusing = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.refusing = false;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function readyWithin(gw: TestGateway, attempts = 50): Promise<TestResponse> {
  let answer = await gw.request("GET", "/readyz");
  for (let attempt = 0; attempt < attempts && answer.status !== 200; attempt++) {
    await sleep(100);
    answer = await gw.request("GET", "/readyz");
  }
  return answer;
}

function expectDatabaseNotReady(answer: TestResponse): void {
  expect(answer.status).to.equal(503);
  expect(answer.headers.get("content-type")).to.match(/^application\/problem\+json/);
  expect(answer.body.type).to.equal("urn:pushgate:problem:not-ready");
  expect(answer.body.checks.redis).to.equal("ok");
  expect(answer.body.checks.database).to.be.a("string").and.not.equal("ok");
}

describe("readiness while the database is away", () => {
  it("SQLite: 503 while the database file is moved away, ready again once it is back", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pushgate-readiness-"));
    const file = path.join(dir, "pushgate.db");
    const gw = await startTestGateway({ DATABASE_URL: `sqlite:${file}` });
    try {
      expect((await gw.request("GET", "/readyz")).status).to.equal(200);
      renameSync(file, `${file}.away`);
      try {
        expectDatabaseNotReady(await gw.request("GET", "/readyz"));
      } finally {
        renameSync(`${file}.away`, file);
      }
      expect((await gw.request("GET", "/readyz")).status).to.equal(200);
    } finally {
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("PostgreSQL: 503 while the server cannot be reached, ready again once it can", async function () {
    const server = process.env.TEST_DATABASE_URL;
    if (!server) {
      console.warn("    skipped: set TEST_DATABASE_URL to a PostgreSQL server");
      return this.skip();
    }
    const database = freshPostgresDatabase(server, "pushgate_test");
    await database.create();
    const target = new URL(database.url);
    const relay = await CuttableRelay.to(target.hostname, Number(target.port || 5432));
    const throughRelay = new URL(database.url);
    throughRelay.host = `127.0.0.1:${relay.port}`;
    const gw = await startTestGateway({ DATABASE_URL: throughRelay.toString() });
    try {
      expect((await gw.request("GET", "/readyz")).status).to.equal(200);
      relay.cut();
      expectDatabaseNotReady(await gw.request("GET", "/readyz"));
      relay.restore();
      expect((await readyWithin(gw)).status).to.equal(200);
    } finally {
      await gw.close();
      await relay.close();
      await database.drop();
    }
  });
});
