import { procFile } from "./proc-file.js";

/** Linux's clock ticks per second for `/proc/<pid>/stat` times (USER_HZ: 100 on every Linux architecture Node runs on). */
const ticksPerSecond = 100;

/** CPU time (user + system) a process has used, in seconds, from `/proc/<pid>/stat`; null once it is gone or elsewhere. */
export function processCpuSeconds(pid: number): number | null {
  const stat = procFile(pid, "stat");
  if (stat === null) return null;
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return (userTicks + systemTicks) / ticksPerSecond;
}

/** Runs `work` and adds what CPU time `pid` used meanwhile, per `units` of it done (null off Linux). */
export async function cpuPerUnit<T>(
  pid: number,
  work: () => Promise<T>,
  units: (result: T) => number,
): Promise<{ result: T; cpuMicrosPerUnit: number | null }> {
  const before = processCpuSeconds(pid);
  const result = await work();
  const after = processCpuSeconds(pid);
  const count = units(result);
  const cpuMicrosPerUnit =
    before === null || after === null || count === 0 ? null : ((after - before) * 1e6) / count;
  return { result, cpuMicrosPerUnit };
}
