import { loadavg } from "node:os";
import type { PhaseLoad } from "./bench-results.js";

/** Prints each phase as it begins, with the 1-minute load average (others may be running tests). */
export class Progress {
  private readonly started = performance.now();
  readonly phases: PhaseLoad[] = [];

  private get elapsedS(): number {
    return (performance.now() - this.started) / 1000;
  }

  phase(name: string): void {
    const entry = { phase: name, startedAtS: this.elapsedS, loadAverage: loadavg()[0] ?? 0 };
    this.phases.push(entry);
    console.log(
      `[${entry.startedAtS.toFixed(1).padStart(6)} s] ${name} (load ${entry.loadAverage.toFixed(2)})`,
    );
  }

  note(text: string): void {
    console.log(`           ${text}`);
  }
}
