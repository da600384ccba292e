import type { AppRepository } from "../domain/apps/app-repository.js";

/** Everything the gateway keeps in its database, behind one interface per aggregate. */
export interface Store {
  readonly kind: "sqlite" | "postgres";
  readonly apps: AppRepository;
  /** Rejects when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
