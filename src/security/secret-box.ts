import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const algorithm = "aes-256-gcm";
const version = "v1";
/** Opened secrets remembered per process: every job reads its app's keys again. */
const rememberedOpenings = 1024;

/**
 * Encrypts the secrets the gateway must be able to read back (HMAC keys, provider
 * private keys), so a copy of the database alone does not leak them.
 */
export class SecretBox {
  readonly #key: Buffer;
  /** Sealed text → plaintext. A random IV makes each sealing unique, so no entry goes stale. */
  readonly #opened = new Map<string, string>();

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error("SecretBox needs a 32-byte key");
    this.#key = key;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(algorithm, this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [
      version,
      iv.toString("base64"),
      cipher.getAuthTag().toString("base64"),
      body.toString("base64"),
    ].join(".");
  }

  open(sealed: string): string {
    const remembered = this.#opened.get(sealed);
    if (remembered !== undefined) return remembered;
    const plaintext = this.decrypt(sealed);
    if (this.#opened.size >= rememberedOpenings) {
      this.#opened.delete(this.#opened.keys().next().value as string);
    }
    this.#opened.set(sealed, plaintext);
    return plaintext;
  }

  private decrypt(sealed: string): string {
    const [tag, iv, authTag, body] = sealed.split(".");
    if (tag !== version || !iv || !authTag || body === undefined) throw new Error("not a sealed secret");
    const decipher = createDecipheriv(algorithm, this.#key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(authTag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
  }
}
