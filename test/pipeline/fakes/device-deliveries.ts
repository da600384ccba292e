import type {
  DeviceDelivery,
  DeviceDeliveryFilter,
  DeviceDeliveryRepository,
  DeviceDeliveryUpdate,
} from "../../../src/domain/events/device-delivery.js";

/** Per-device records in memory, attempts counted per send as the SQL one counts them. */
export class InMemoryDeviceDeliveries implements DeviceDeliveryRepository {
  private readonly records = new Map<string, DeviceDelivery & { run: number }>();

  async record(appId: string, eventId: string, run: number, updates: DeviceDeliveryUpdate[]): Promise<void> {
    for (const { sent, ...update } of updates) {
      const key = JSON.stringify([appId, eventId, update.token]);
      const earlier = this.records.get(key);
      const sameRun = earlier?.run === run;
      this.records.set(key, {
        ...update,
        run,
        attempts: (sameRun ? (earlier?.attempts ?? 0) : 0) + (sent ? 1 : 0),
        providerStatus: update.providerStatus ?? (sameRun ? (earlier?.providerStatus ?? null) : null),
        providerError: update.providerError ?? (sameRun ? (earlier?.providerError ?? null) : null),
      });
    }
  }

  async list(appId: string, eventId: string, filter: DeviceDeliveryFilter): Promise<DeviceDelivery[]> {
    const prefix = JSON.stringify([appId, eventId]).slice(0, -1);
    return [...this.records]
      .filter(([key]) => key.startsWith(prefix))
      .map(([, { run: _run, ...record }]) => record)
      .filter((record) => !filter.outcome || record.outcome === filter.outcome)
      .filter((record) => !filter.userId || record.userId === filter.userId)
      .filter((record) => !filter.afterToken || record.token > filter.afterToken)
      .sort((a, b) => (a.token < b.token ? -1 : 1))
      .slice(0, filter.limit);
  }
}
