/**
 * How the processes of a deployment tell one another that an app changed. `announce` reaches
 * every process but the caller's own cache, which is cleared before; `onChange` hears an app id,
 * or `everything` when messages may have been missed (a lost connection).
 */
export interface AppChangeFeed {
  announce(appId: string): Promise<void>;
  onChange(listener: (change: { appId: string } | "everything") => void): void;
}

export interface AppCacheOptions {
  /** Apps kept at most; the least recently read goes first. */
  maxApps: number;
  /** A bound on staleness should an announcement be lost between two live connections. */
  maxAgeMs: number;
  now?: () => number;
}

interface Kept<Entry> {
  entry: Entry;
  fetchedAt: number;
}

/**
 * What a process keeps per app (the app, its templates): bounded in apps and in age, and
 * forgotten when the feed says the app changed. A read that began before a change was heard is
 * not kept, so a slow read never brings back what the change replaced.
 */
export class PerAppCache<Entry> {
  private readonly kept = new Map<string, Kept<Entry>>();
  private readonly now: () => number;
  /** Moves on at every change heard or made. */
  private generation = 0;

  constructor(
    private readonly feed: AppChangeFeed,
    private readonly options: AppCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    feed.onChange((change) => {
      this.generation += 1;
      if (change === "everything") this.kept.clear();
      else this.kept.delete(change.appId);
    });
  }

  /** The entry while it is fresh, made the most recently read. */
  fresh(appId: string): Entry | undefined {
    const kept = this.kept.get(appId);
    if (!kept) return undefined;
    this.kept.delete(appId);
    if (this.now() - kept.fetchedAt > this.options.maxAgeMs) return undefined;
    this.kept.set(appId, kept);
    return kept.entry;
  }

  /** Reads through `read` and keeps what it found (nothing found is not kept), unless a change was heard meanwhile. */
  async load<Found extends Entry>(appId: string, read: () => Promise<Found | null>): Promise<Found | null> {
    const fetchedAt = this.now();
    const generation = this.generation;
    const found = await read();
    if (found !== null && generation === this.generation) this.remember(appId, { entry: found, fetchedAt });
    return found;
  }

  /** Whether `entry` is still the one kept for the app, and no change was heard since `generation`. */
  stillKept(appId: string, entry: Entry, generation: number): boolean {
    return generation === this.generation && this.kept.get(appId)?.entry === entry;
  }

  /** For `stillKept`: read it before an asynchronous read. */
  currentGeneration(): number {
    return this.generation;
  }

  /** This process changed the app: forget it here, then tell the others. */
  async changed(appId: string): Promise<void> {
    this.generation += 1;
    this.kept.delete(appId);
    await this.feed.announce(appId);
  }

  private remember(appId: string, kept: Kept<Entry>): void {
    this.kept.delete(appId);
    this.kept.set(appId, kept);
    if (this.kept.size > this.options.maxApps) {
      const oldest = this.kept.keys().next().value as string;
      this.kept.delete(oldest);
    }
  }
}
