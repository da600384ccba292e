import type { ReceivedNotification, Simulators } from "../../simulators/simulators.js";

const pollMs = 100;

/**
 * Calls `show` for every notification the simulators accept, in order; the log has
 * no listener, so it is polled. Returns the function that stops following.
 */
export function followArrivals(
  received: Simulators["received"],
  show: (entry: ReceivedNotification) => void,
  alreadyShown = 0,
): () => void {
  let seen = alreadyShown;
  const timer = setInterval(() => {
    for (const entry of received.entries.slice(seen)) show(entry);
    seen = received.entries.length;
  }, pollMs);
  return () => clearInterval(timer);
}
