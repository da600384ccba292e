/** What was started, stopped newest first; one step failing does not keep the others from running. */
export class Teardown {
  private readonly steps: { what: string; stop: () => Promise<unknown> | unknown }[] = [];
  private running?: Promise<void>;

  add(what: string, stop: () => Promise<unknown> | unknown): void {
    this.steps.unshift({ what, stop });
  }

  /** Every caller waits for the whole teardown, also one that comes while it is under way (Ctrl-C). */
  run(): Promise<void> {
    this.running ??= this.stopAll();
    return this.running;
  }

  private async stopAll(): Promise<void> {
    for (const { what, stop } of this.steps.splice(0)) {
      try {
        await stop();
      } catch (error) {
        console.error(`stopping ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Runs `start`; when it throws, stops what was started so far and throws again. */
  async guard<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (error) {
      await this.run();
      throw error;
    }
  }
}
