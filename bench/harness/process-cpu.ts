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

/** CPU time per unit of work, by process: microseconds, null for a process not measured (gone, or off Linux). */
export type CpuByProcess = Record<string, number | null>;

/** The bench's own process (the load generator and what tracks arrivals): it measures itself. */
export const benchProcess = "bench";

/**
 * Runs `work` and adds what CPU time each of `pids` (by name), and the bench process itself,
 * used meanwhile, per `units` of it done: where a figure's CPU goes on a shared machine.
 */
export async function cpuByProcessPerUnit<T>(
  pids: Record<string, number>,
  work: () => Promise<T>,
  units: (result: T) => number,
): Promise<{ result: T; cpu: CpuByProcess }> {
  const names = Object.keys(pids);
  const before = names.map((name) => processCpuSeconds(pids[name] as number));
  const ownBefore = process.cpuUsage();
  const result = await work();
  const own = process.cpuUsage(ownBefore);
  const after = names.map((name) => processCpuSeconds(pids[name] as number));
  const count = units(result);
  const perUnit = (seconds: number | null) =>
    seconds === null || count === 0 ? null : (seconds * 1e6) / count;
  const cpu: CpuByProcess = {};
  names.forEach((name, index) => {
    const [from, to] = [before[index], after[index]];
    cpu[name] = perUnit(
      from === null || from === undefined || to === null || to === undefined ? null : to - from,
    );
  });
  cpu[benchProcess] = perUnit((own.user + own.system) / 1e6);
  return { result, cpu };
}

/** `api 600, worker 1,240, … µs (total 2,350)`: the measured processes' CPU per unit and their sum. */
export function describeCpuByProcess(cpu: CpuByProcess): string {
  const measured = Object.entries(cpu).filter((entry): entry is [string, number] => entry[1] !== null);
  const total = measured.reduce((sum, [, micros]) => sum + micros, 0);
  const each = measured.map(([name, micros]) => `${name} ${Math.round(micros).toLocaleString("en-US")}`);
  return `${each.join(", ")} µs (total ${Math.round(total).toLocaleString("en-US")})`;
}
