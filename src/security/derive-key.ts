import { hkdfSync } from "node:crypto";

/** A key for one purpose, derived from the gateway's master key, so no two uses share a key. */
export type KeyPurpose = "secret-box" | "sync-token";

export function deriveKey(masterKey: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), `pushgate:${purpose}`, 32));
}
