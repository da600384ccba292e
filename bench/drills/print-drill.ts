import { formatTable } from "../report/table.js";
import type { DrillReport } from "./run-drill.js";

/** One drill: its fault, the gateway's answers, and each invariant with its counts and verdict. */
export function formatDrill(report: DrillReport, index: number): string {
  const letter = String.fromCharCode(97 + index);
  const answers = Object.entries(report.answers)
    .map(([status, count]) => `${count} × ${status}`)
    .join(", ");
  const rows = report.invariants.map((check) => [
    check.name,
    check.counts + (check.note ? ` (${check.note})` : ""),
    check.pass ? "PASS" : "FAIL",
  ]);
  const table = formatTable(["invariant", "counts", ""], rows)
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
  return [
    `(${letter}) ${report.fault}: ${report.title}, from ${report.faultFromS.toFixed(1)} s to ${report.faultToS.toFixed(1)} s of the load`,
    `    answers: ${answers}${report.evidence ? `; ${report.evidence}` : ""}`,
    table,
  ].join("\n");
}
