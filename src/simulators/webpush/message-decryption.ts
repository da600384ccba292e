import { createDecipheriv, hkdfSync } from "node:crypto";
import type { SubscriptionSecrets } from "./push-subscriptions.js";

const saltBytes = 16;
const headerBytes = saltBytes + 4 + 1;
const uncompressedPointBytes = 65;
const tagBytes = 16;
const lastRecordDelimiter = 0x02;

/**
 * Decrypts an `aes128gcm` push message (RFC 8188 coding, RFC 8291 keys) for its subscription;
 * `undefined` when it does not decrypt. RFC 8291 §4 wants the message in one record.
 */
export function decryptPushMessage(body: Buffer, subscription: SubscriptionSecrets): Buffer | undefined {
  if (body.length < headerBytes) return undefined;
  const salt = body.subarray(0, saltBytes);
  const recordSize = body.readUInt32BE(saltBytes);
  const keyIdLength = body.readUInt8(saltBytes + 4);
  if (keyIdLength !== uncompressedPointBytes) return undefined;
  const senderPublicKey = body.subarray(headerBytes, headerBytes + keyIdLength);
  const record = body.subarray(headerBytes + keyIdLength);
  if (record.length <= tagBytes || record.length > recordSize) return undefined;

  try {
    const sharedSecret = subscription.agent.computeSecret(senderPublicKey);
    const keyInfo = Buffer.concat([
      Buffer.from("WebPush: info\0"),
      subscription.agent.getPublicKey(),
      senderPublicKey,
    ]);
    const inputKey = derive(subscription.authSecret, sharedSecret, keyInfo, 32);
    const contentKey = derive(salt, inputKey, Buffer.from("Content-Encoding: aes128gcm\0"), 16);
    const nonce = derive(salt, inputKey, Buffer.from("Content-Encoding: nonce\0"), 12);
    const decipher = createDecipheriv("aes-128-gcm", contentKey, nonce);
    decipher.setAuthTag(record.subarray(record.length - tagBytes));
    const padded = Buffer.concat([
      decipher.update(record.subarray(0, record.length - tagBytes)),
      decipher.final(),
    ]);
    return unpad(padded);
  } catch {
    return undefined;
  }
}

function derive(salt: Buffer, key: Buffer, info: Buffer, length: number): Buffer {
  return Buffer.from(hkdfSync("sha256", key, salt, info, length));
}

/** The plaintext before its delimiter: zero padding may follow the single (hence last) record's `0x02`. */
function unpad(padded: Buffer): Buffer | undefined {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  return padded[end] === lastRecordDelimiter ? padded.subarray(0, end) : undefined;
}
