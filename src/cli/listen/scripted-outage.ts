import type { ListenAnswer } from "./listen-answer.js";

/** `--outage [status:]seconds`: how the webhook plays down. */
export interface OutagePlan {
  status: number;
  seconds: number;
}

export interface OutageWatcher {
  started(plan: OutagePlan): void;
  ended(): void;
}

/**
 * One outage, from the first delivery for `plan.seconds`: every delivery meanwhile is answered
 * `plan.status` with no body and no Retry-After, as a webhook that is down. It starts at the
 * first delivery rather than at start, so that it cannot be over before the gateway calls.
 */
export class ScriptedOutage {
  private state: "pending" | "on" | "over" = "pending";
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly plan: OutagePlan,
    private readonly watcher: OutageWatcher,
  ) {}

  /** The outage's answer to a delivery arriving now, starting the outage at the first; undefined once over. */
  answerNow(): ListenAnswer | undefined {
    if (this.state === "pending") this.start();
    if (this.state === "over") return undefined;
    return { status: this.plan.status, body: "", label: "outage" };
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private start(): void {
    this.state = "on";
    this.watcher.started(this.plan);
    this.timer = setTimeout(() => {
      this.state = "over";
      this.watcher.ended();
    }, this.plan.seconds * 1000);
  }
}
