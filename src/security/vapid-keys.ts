import { createECDH } from "node:crypto";

/** An application server's VAPID key pair (RFC 8292), P-256, base64url: raw public point and private scalar. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const curve = "prime256v1";
const publicKeyBytes = 65;
const privateKeyBytes = 32;

/** A private scalar as Web Push clients expect it: exactly 32 bytes, leading zeros kept. */
function scalar(bytes: Buffer): string {
  return Buffer.concat([Buffer.alloc(privateKeyBytes - bytes.length), bytes]).toString("base64url");
}

export function generateVapidKeys(): VapidKeys {
  const ecdh = createECDH(curve);
  ecdh.generateKeys();
  return { publicKey: ecdh.getPublicKey("base64url"), privateKey: scalar(ecdh.getPrivateKey()) };
}

/** Why a key pair brought by an app cannot sign for it, or null when it can. */
export function vapidKeysProblem(
  keys: VapidKeys,
): { field: "vapid_public_key" | "vapid_private_key"; message: string } | null {
  const publicKey = Buffer.from(keys.publicKey, "base64url");
  if (publicKey.length !== publicKeyBytes || publicKey[0] !== 4)
    return {
      field: "vapid_public_key",
      message: "must be an uncompressed P-256 public key, 65 bytes in base64url",
    };
  const privateKey = Buffer.from(keys.privateKey, "base64url");
  if (privateKey.length !== privateKeyBytes)
    return { field: "vapid_private_key", message: "must be a P-256 private key, 32 bytes in base64url" };
  try {
    const ecdh = createECDH(curve);
    ecdh.setPrivateKey(privateKey);
    if (!ecdh.getPublicKey().equals(publicKey))
      return { field: "vapid_private_key", message: "is not the private key of vapid_public_key" };
  } catch {
    return { field: "vapid_private_key", message: "is not a P-256 private key" };
  }
  return null;
}
