/**
 * Runs `work` until it ends or the stop signal comes, whichever is first: "stopped" then, and
 * the work left running is abandoned (its failures too), since the caller closes what it uses.
 */
export async function untilStopped<T>(
  stopSignal: Promise<NodeJS.Signals>,
  work: () => Promise<T>,
): Promise<T | "stopped"> {
  const running = work();
  const stopped = stopSignal.then(() => "stopped" as const);
  const first = await Promise.race([running, stopped]);
  if (first === "stopped") running.catch(() => {});
  return first;
}
