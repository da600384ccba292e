import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: deliveries are read as loose JSON in assertions
  body: any;
  raw: string;
  /** Which of the receiver's secrets verified the signature (standardwebhooks library), or null. */
  verifiedWith: number | null;
  at: number;
}

export interface Answer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface WebhookReceiver {
  url: string;
  deliveries: ReceivedDelivery[];
  /** Secrets the receiver verifies with; a rotation adds one. */
  secrets: string[];
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedDelivery[]>;
  close(): Promise<void>;
}

/** A customer's server: verifies each delivery, records it, answers as `answer` says. */
export async function startReceiver(
  secrets: string[],
  answer: (delivery: ReceivedDelivery, index: number) => Answer = () => ({ body: { action: "send" } }),
): Promise<WebhookReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const verifiedWith = receiver.secrets.findIndex((secret) => {
        try {
          new Webhook(secret).verify(raw, req.headers as Record<string, string>);
          return true;
        } catch {
          return false;
        }
      });
      const delivery: ReceivedDelivery = {
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
        raw,
        verifiedWith: verifiedWith < 0 ? null : verifiedWith,
        at: Date.now(),
      };
      deliveries.push(delivery);
      const reply = answer(delivery, deliveries.length - 1);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, {
          ...(reply.body === undefined ? {} : { "content-type": "application/json" }),
          ...reply.headers,
        });
        res.end(
          reply.body === undefined
            ? undefined
            : typeof reply.body === "string"
              ? reply.body
              : JSON.stringify(reply.body),
        );
      }, reply.delayMs ?? 0);
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/pushgate`,
    deliveries,
    secrets,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (deliveries.length < count) {
        if (Date.now() > deadline)
          throw new Error(`waited for ${count} deliveries, got ${deliveries.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return deliveries;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}
