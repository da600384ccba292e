import { procFile } from "./proc-file.js";

export interface ProcessMemory {
  /** VmHWM: the most resident memory the process has had. */
  peakRssBytes: number;
  rssBytes: number;
}

/** From `/proc/<pid>/status` (Linux); null once the process is gone or elsewhere. */
export function processMemory(pid: number): ProcessMemory | null {
  const status = procFile(pid, "status");
  if (status === null) return null;
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { peakRssBytes: kib("VmHWM") * 1024, rssBytes: kib("VmRSS") * 1024 };
}
