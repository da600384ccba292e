/** Left-aligned first column, right-aligned others, as plain text for a terminal or a log. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join("  ");
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

/** The same table in Markdown, for docs/performance.md: the figures' columns (default the second) right-aligned. */
export function formatMarkdownTable(
  header: string[],
  rows: string[][],
  rightAligned: number[] = [1],
): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const alignment = header.map((_, column) => (rightAligned.includes(column) ? "---:" : "---"));
  return [line(header), line(alignment), ...rows.map(line)].join("\n");
}

export const perSecond = (value: number) => `${Math.round(value).toLocaleString("en-US")}/s`;
export const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
export const ratio = (value: number) => value.toFixed(2);
