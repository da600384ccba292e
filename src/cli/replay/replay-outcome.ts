/** What became of one replayed file. */
export interface ReplayOutcome {
  ok: boolean;
  /** The summary's category: `queued`, `duplicate`, `send`, `drop`, `failed`… */
  tally: string;
  /** One line: what was answered and what it means. */
  detail: string;
}

export function failed(detail: string, tally = "failed"): ReplayOutcome {
  return { ok: false, tally, detail };
}
