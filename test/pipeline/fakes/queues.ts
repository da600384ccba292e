import type { JobQueue, Scheduled } from "../../../src/pipeline/jobs.js";

/** A queue that keeps what is added; while `dying`, an add fails as if the worker died right before it. */
export class RecordingQueue<Job> implements JobQueue<Job> {
  readonly added: Scheduled<Job>[] = [];
  dying = false;

  async add(jobs: Scheduled<Job>[]): Promise<void> {
    if (this.dying) throw new Error("the worker died before queueing");
    this.added.push(...jobs);
  }

  /** Takes the jobs added so far, as a worker would. */
  take(): Scheduled<Job>[] {
    return this.added.splice(0);
  }
}

/** Runs `work`, expecting it to die at the dying queue. */
export async function dies(work: Promise<unknown>): Promise<void> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!String(error).includes("the worker died")) throw new Error(`expected the worker to die, got ${error}`);
}
