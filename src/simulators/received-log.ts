/** A notification a simulator accepted, as the device would get it. */
export interface ReceivedNotification {
  /** The simulator's name: `fcm`, `apns-production`, `apns-sandbox`. */
  simulator: string;
  token: string;
  /** Who sent it: the service account's `client_email` (FCM), `teamId/keyId` (APNs). */
  sender: string;
  /** APNs: the request's `apns-*` headers. FCM: none, everything is in the payload. */
  headers: Record<string, string>;
  /** FCM: the HTTP v1 `message`. APNs: the JSON body. */
  payload: Record<string, unknown>;
  receivedAt: Date;
}

interface Waiter {
  count: number;
  resolve: (entries: ReceivedNotification[]) => void;
}

/** Every accepted notification, in arrival order, shared by the simulators of one set. */
export class ReceivedLog {
  private readonly list: ReceivedNotification[] = [];
  private waiters: Waiter[] = [];

  get entries(): readonly ReceivedNotification[] {
    return this.list;
  }

  add(entry: ReceivedNotification): void {
    this.list.push(entry);
    const ready = this.waiters.filter((waiter) => this.list.length >= waiter.count);
    this.waiters = this.waiters.filter((waiter) => this.list.length < waiter.count);
    for (const waiter of ready) waiter.resolve([...this.list]);
  }

  /** Resolves once at least `count` notifications are in the log; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 5000): Promise<ReceivedNotification[]> {
    if (this.list.length >= count) return Promise.resolve([...this.list]);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        count,
        resolve: (entries) => {
          clearTimeout(timer);
          resolve(entries);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        reject(new Error(`waited ${timeoutMs} ms for ${count} notifications, got ${this.list.length}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The notifications sent to `token`. */
  forToken(token: string): ReceivedNotification[] {
    return this.list.filter((entry) => entry.token === token);
  }

  clear(): void {
    this.list.length = 0;
  }
}
