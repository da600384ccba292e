import { formatTable } from "../../report/table.js";
import type { InvariantCheck } from "../run-drill.js";

/** What an abuse drill measured, and what must hold while a client misbehaves. */
export interface AbuseReport {
  name: string;
  title: string;
  /** One line each, e.g. how many real users got in. */
  figures: string[];
  invariants: InvariantCheck[];
}

/** Counts answers by status ("no answer" when the request failed). */
export class AnswerCounts {
  readonly byStatus: Record<string, number> = {};

  add(status: number | "no answer"): void {
    const key = String(status);
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
  }

  of(status: number): number {
    return this.byStatus[String(status)] ?? 0;
  }

  get total(): number {
    return Object.values(this.byStatus).reduce((sum, count) => sum + count, 0);
  }

  toString(): string {
    return Object.entries(this.byStatus)
      .sort(([, a], [, b]) => b - a)
      .map(([status, count]) => `${count.toLocaleString("en-US")} × ${status}`)
      .join(", ");
  }
}

/** `index` letters the drill after the fault drills printed before it: (e), (f)… */
export function formatAbuse(report: AbuseReport, index: number): string {
  const letter = String.fromCharCode(97 + index);
  const rows = report.invariants.map((check) => [
    check.name,
    check.counts + (check.note ? ` (${check.note})` : ""),
    check.pass ? "PASS" : "FAIL",
  ]);
  const indented = (text: string) =>
    text
      .split("\n")
      .map((line) => `    ${line}`)
      .join("\n");
  return [
    `(${letter}) ${report.name}: ${report.title}`,
    ...report.figures.map(indented),
    indented(formatTable(["invariant", "counts", ""], rows)),
  ].join("\n");
}
