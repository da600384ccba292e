import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { ApnsCredentials, FcmServiceAccount } from "../domain/apps/app.js";
import type { ApnsKeyRegistration } from "./apns/provider-tokens.js";
import type { FcmServiceAccountRegistration } from "./fcm/oauth-token-service.js";

export interface SimulatedAppOptions {
  projectId?: string;
  bundleId?: string;
}

/** Fresh credentials of an app, and what the simulators must know to accept them. */
export interface SimulatedAppCredentials {
  fcm: FcmServiceAccount;
  apns: ApnsCredentials;
  fcmRegistration: FcmServiceAccountRegistration;
  apnsRegistration: ApnsKeyRegistration;
}

/** An RSA service account (as Firebase issues) and an EC P-256 p8 key (as Apple issues). */
export function generateAppCredentials(options: SimulatedAppOptions = {}): SimulatedAppCredentials {
  const suffix = randomBytes(4).toString("hex");
  const projectId = options.projectId ?? `sim-project-${suffix}`;
  const bundleId = options.bundleId ?? `com.example.sim${suffix}`;
  const clientEmail = `firebase-adminsdk-${suffix}@${projectId}.iam.gserviceaccount.com`;
  const rsa = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const ec = generateKeyPairSync("ec", {
    namedCurve: "prime256v1",
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const teamId = appleIdentifier();
  const keyId = appleIdentifier();
  return {
    fcm: {
      type: "service_account",
      project_id: projectId,
      private_key_id: randomBytes(20).toString("hex"),
      private_key: rsa.privateKey,
      client_email: clientEmail,
      token_uri: "https://oauth2.googleapis.com/token",
    },
    apns: { teamId, keyId, privateKey: ec.privateKey, bundleId },
    fcmRegistration: { project_id: projectId, client_email: clientEmail, public_key: rsa.publicKey },
    apnsRegistration: { team_id: teamId, key_id: keyId, public_key: ec.publicKey, bundle_id: bundleId },
  };
}

/** Ten upper-case letters and digits, the shape of Apple's team and key ids. */
function appleIdentifier(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  return Array.from(randomBytes(10), (byte) => alphabet[byte % alphabet.length]).join("");
}

/** The `fcm` and `apns` blocks of the apps API (`POST`/`PATCH /v1/apps`) that make an app send with these credentials. */
export function appProviderSettings(credentials: Pick<SimulatedAppCredentials, "fcm" | "apns">) {
  return {
    fcm: { service_account: credentials.fcm },
    apns: {
      team_id: credentials.apns.teamId,
      key_id: credentials.apns.keyId,
      private_key: credentials.apns.privateKey,
      bundle_id: credentials.apns.bundleId,
    },
  };
}
