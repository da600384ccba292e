/**
 * The FCM, APNs and Web Push simulators in a process of their own, so the load the bench generates and
 * the answers the gateway waits for do not share one event loop. Driven over IPC by `SimulatorLink`.
 */
import { type ReceivedNotification, startSimulators } from "../../src/simulators/simulators.js";
import type { ArrivalTuple, HostMessage, HostRequest } from "./simulator-protocol.js";

const forwardEveryMs = 5;

const simulators = await startSimulators();
const send = (message: HostMessage) => process.send?.(message);

/** FCM and Web Push carry the custom keys in `data`, APNs at the top of its payload. */
function eventIdOf(entry: ReceivedNotification): string {
  const payload = entry.payload as { event_id?: unknown; data?: { event_id?: unknown } };
  const id =
    entry.simulator === "fcm" || entry.simulator === "webpush" ? payload.data?.event_id : payload.event_id;
  return typeof id === "string" ? id : "";
}

function forwardArrivals(): void {
  if (simulators.received.entries.length === 0) return;
  const arrivals: ArrivalTuple[] = simulators.received.entries.map((entry) => [
    entry.simulator,
    entry.token,
    eventIdOf(entry),
    entry.receivedAt.getTime(),
  ]);
  simulators.received.clear();
  send({ kind: "arrivals", arrivals });
}

const forwarding = setInterval(forwardArrivals, forwardEveryMs);

process.on("message", (request: HostRequest) => {
  switch (request.kind) {
    case "register-app":
      send({ kind: "reply", id: request.id, credentials: simulators.registerApp() });
      return;
    case "script":
      for (const token of request.tokens) simulators.scriptToken(token, request.behaviour);
      send({ kind: "reply", id: request.id });
      return;
    case "outage":
      simulators.outage(request.outage);
      send({ kind: "reply", id: request.id });
      return;
    case "flush":
      forwardArrivals();
      send({ kind: "reply", id: request.id });
      return;
    case "subscribe-webpush":
      send({
        kind: "reply",
        id: request.id,
        subscriptions: Array.from({ length: request.count }, () =>
          simulators.subscribeWebPush(request.applicationServerKey),
        ),
      });
  }
});

process.once("disconnect", () => {
  clearInterval(forwarding);
  void simulators.close().then(() => process.exit(0));
});

send({ kind: "ready", env: simulators.env });
