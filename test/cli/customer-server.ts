import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface CustomerServer {
  url: string;
  /** Checked at each request, so it may be set once the app (and its secret) exists. */
  secret: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A customer's server built on the standardwebhooks library: refuses with 401 what
 * `secret` did not sign, records the rest and answers them from the script (then 204).
 */
export async function customerServer(
  secret: string,
  answers: ScriptedAnswer[] = [],
): Promise<CustomerServer> {
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    try {
      new Webhook(customer.secret).verify(body, request.headers as Record<string, string>);
    } catch {
      response.writeHead(401).end();
      return;
    }
    customer.received.push({ headers: request.headers, body });
    const answer = answers.shift() ?? { status: 204 };
    response.writeHead(answer.status, answer.headers).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const customer: CustomerServer = {
    url: `http://127.0.0.1:${port}/hooks/pushgate`,
    secret,
    received: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return customer;
}
