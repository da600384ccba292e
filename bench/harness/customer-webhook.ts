import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const sendAnswer = JSON.stringify({ action: "send" });

/**
 * The customer's server of webhook mode: answers every delivery with `{"action": "send"}`;
 * while hung, holds them without an answer (the gateway's timeout then ends each call); while
 * failing, answers them a bare error status.
 */
export class CustomerWebhook {
  deliveries = 0;
  /** Deliveries held without an answer, over every hang. */
  heldTotal = 0;
  private hung = false;
  private failingWith: number | undefined;
  /** When each delivery arrived (epoch ms), to count the calls made after a moment. */
  private readonly arrivals: number[] = [];
  private readonly held = new Set<ServerResponse>();

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly url: string,
  ) {}

  static async start(): Promise<CustomerWebhook> {
    let webhook: CustomerWebhook | undefined;
    const server = createServer((request, response) => webhook?.handle(request, response));
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    webhook = new CustomerWebhook(server, `http://127.0.0.1:${port}/pushgate`);
    return webhook;
  }

  /** While hung, deliveries get no answer at all; on release the held ones still open are answered. */
  hang(hung: boolean): void {
    this.hung = hung;
    if (hung) return;
    for (const response of this.held) answer(response);
    this.held.clear();
  }

  /** While failing, every delivery is answered `status` with no body and no Retry-After. */
  failWith(status: number | undefined): void {
    this.failingWith = status;
  }

  /** Deliveries that arrived from `from` (epoch ms) until `to`. */
  deliveriesBetween(from: number, to: number): number {
    return this.arrivals.filter((at) => at >= from && at < to).length;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    request.resume();
    request.once("end", () => {
      this.deliveries += 1;
      this.arrivals.push(Date.now());
      if (this.failingWith !== undefined) return void response.writeHead(this.failingWith).end();
      if (!this.hung) return answer(response);
      this.heldTotal += 1;
      this.held.add(response);
      response.once("close", () => this.held.delete(response));
    });
  }
}

function answer(response: ServerResponse): void {
  if (response.destroyed) return;
  response.writeHead(200, { "content-type": "application/json" }).end(sendAnswer);
}
