/**
 * Stops what the run started when it is interrupted (Ctrl-C, SIGTERM), and keeps a closed stdout
 * (`npm run bench | head`) from killing the run before it could stop its child processes.
 */
export function closeOnInterrupt(close: () => Promise<void>): void {
  process.stdout.on("error", () => {});
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping the gateway processes, simulators and Redis`);
    void close().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
}
