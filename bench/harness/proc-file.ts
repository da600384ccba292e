import { readFileSync } from "node:fs";

/** `/proc/<pid>/<name>` (Linux); null once the process is gone, or off Linux. */
export function procFile(pid: number, name: "stat" | "status"): string | null {
  try {
    return readFileSync(`/proc/${pid}/${name}`, "utf8");
  } catch {
    return null;
  }
}
