import { connect } from "node:net";

/** One request as bytes go on the wire: nothing is normalised, escaped or refused on the way. */
export interface RawRequest {
  method: string;
  /** The request target exactly as sent: raw bytes, `..`, control characters and all. */
  target: string;
  headers: [string, string][];
  body: Buffer;
}

export interface RawAnswer {
  /** 0 when the gateway closed the connection without an answer. */
  status: number;
  /** The status line and headers, for a failure message. */
  head: string;
}

/** Header names that frame the message: the sender sets them, so the request cannot hang. */
const framingHeaders = new Set(["content-length", "transfer-encoding", "connection", "host", "expect"]);

/** Latin-1: one byte per character, so any byte can be put in a target or header. */
function bytesOf(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

/**
 * Sends `request` over a fresh TCP connection to `url`'s host and reads the answer's status line
 * and headers. Fetch would percent-encode the target, refuse control characters in headers and
 * normalise the method; a hostile client does none of that.
 */
export function sendRaw(url: string, request: RawRequest, timeoutMs = 15_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const headerLines = request.headers
    .filter(([name]) => !framingHeaders.has(name.toLowerCase()))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  const head = bytesOf(
    `${request.method} ${request.target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n${headerLines}` +
      `Content-Length: ${request.body.length}\r\n\r\n`,
  );
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let received = Buffer.alloc(0);
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      outcome();
    };
    const answerSoFar = (): RawAnswer => {
      const text = received.toString("latin1");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      return { status, head: text.split("\r\n\r\n")[0] ?? "" };
    };
    socket.setTimeout(timeoutMs, () =>
      settle(() => reject(new Error(`no answer in ${timeoutMs} ms to ${request.method} ${request.target}`))),
    );
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.includes("\r\n\r\n")) settle(() => resolve(answerSoFar()));
    });
    // The gateway may answer and hang up before the whole body went out (a 404 for a missing app,
    // a 400 for a malformed head): whatever it answered is the answer.
    socket.on("error", () => settle(() => resolve(answerSoFar())));
    socket.on("close", () => settle(() => resolve(answerSoFar())));
    socket.write(Buffer.concat([head, request.body]));
  });
}
