import type { TokenProvider } from "../../providers/push-provider.js";

/** What became of an event's notification on one device (docs/api.md §8, deliveries). */
export type DeviceOutcome = "sent" | "silenced" | "failed" | "invalid_token" | "expired" | "pending";
export const deviceOutcomes = [
  "sent",
  "silenced",
  "failed",
  "invalid_token",
  "expired",
  "pending",
] as const satisfies readonly DeviceOutcome[];

/** One token's record in the current run of an event. */
export interface DeviceDelivery {
  token: string;
  userId: string | null;
  deviceId: string | null;
  provider: TokenProvider;
  outcome: DeviceOutcome;
  /** Sends to the token in this run. */
  attempts: number;
  /** What the provider answered: an HTTP status or its own code. */
  providerStatus: string | null;
  providerError: string | null;
  at: Date;
}

/** A delivery job's news of one token: its outcome now, and whether the job sent to it. */
export interface DeviceDeliveryUpdate extends Omit<DeviceDelivery, "attempts"> {
  sent: boolean;
}

export interface DeviceDeliveryFilter {
  outcome?: DeviceOutcome;
  userId?: string;
  /** The tokens after this one, in token order. */
  afterToken?: string;
  limit: number;
}

/** The per-device records of events, kept in the database with the event and gone with it. */
export interface DeviceDeliveryRepository {
  /** Writes what one delivery job learnt, each token's attempts counted once per send. */
  record(appId: string, eventId: string, run: number, updates: DeviceDeliveryUpdate[]): Promise<void>;
  /** The records of the event's current run, in token order. */
  list(appId: string, eventId: string, filter: DeviceDeliveryFilter): Promise<DeviceDelivery[]>;
}
