const barWidth = 20;

/** A bar redrawn in place on a terminal; nothing at all when the stream is not a TTY. */
export class ProgressLine {
  private readonly active: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly total: number,
  ) {
    this.active = stream.isTTY === true && total > 1;
  }

  show(done: number, current: string): void {
    if (!this.active) return;
    const filled = Math.round((barWidth * done) / this.total);
    const bar = `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ${done}/${this.total} ${current}`;
    this.clear();
    this.stream.write(bar.slice(0, Math.max(0, (this.stream.columns || 80) - 1)));
  }

  /** A finished line, written where the bar was; the next `show` draws the bar below it. */
  print(line: string): void {
    this.clear();
    this.stream.write(`${line}\n`);
  }

  private clear(): void {
    if (!this.active) return;
    this.stream.cursorTo(0);
    this.stream.clearLine(0);
  }
}
