import type { AddressInfo, Server, Socket } from "node:net";
import { isIPv6 } from "node:net";

export interface ListeningServer {
  /** `scheme://host:port`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** Starts `server` on `host:port` (0 picks a free port). */
export async function listen(
  server: Server,
  scheme: "http" | "https",
  host: string,
  port: number,
): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${actualPort}`,
    // Clients keep HTTP/2 and keep-alive connections open indefinitely; close() cuts them.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
