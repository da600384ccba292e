import { setImmediate } from "node:timers/promises";
import { newId, newSessionToken } from "../../src/security/credentials.js";
import { deriveKey } from "../../src/security/derive-key.js";
import { SecretBox } from "../../src/security/secret-box.js";
import { openStore } from "../../src/storage/open-store.js";
import { now } from "./gateway-client.js";
import type { BenchApp, Member } from "./population.js";

const sessionTtlMs = 30 * 24 * 3_600_000;

/**
 * The same sign-in and registration as `registerMembers`, written straight into the gateway's
 * database from the bench process: for big populations when the HTTP route would dominate the run.
 * Returns the registrations per second.
 */
export async function registerMembersInStore(
  gatewayEnv: Record<string, string>,
  app: BenchApp,
  members: Member[],
): Promise<number> {
  const masterKey = Buffer.from(gatewayEnv.PUSHGATE_SECRET_KEY as string, "base64");
  const store = await openStore(
    gatewayEnv.DATABASE_URL as string,
    new SecretBox(deriveKey(masterKey, "secret-box")),
  );
  try {
    const started = now();
    for (const [index, member] of members.entries()) {
      // better-sqlite3 is synchronous: without a turn of the event loop now and then, the
      // client's keep-alive sockets would miss the gateway closing them and fail the next request.
      if (index % 200 === 0) await setImmediate();
      const at = new Date();
      const session = {
        id: newId("session"),
        appId: app.id,
        userId: member.userId,
        deviceId: null,
        createdAt: at,
        expiresAt: new Date(at.getTime() + sessionTtlMs),
      };
      await store.sessions.create(session, newSessionToken());
      await store.devices.register(
        { appId: app.id, userId: member.userId, sessionId: session.id },
        {
          deviceId: `device-${member.userId}`,
          platform: member.provider === "gcm" ? "android" : member.provider === "webpush" ? "web" : "ios",
          token: { provider: member.provider, token: member.token, keys: member.subscription?.keys },
          voip: null,
          locale: null,
          variant: null,
        },
        [],
        at,
      );
    }
    return (members.length / (now() - started)) * 1000;
  } finally {
    await store.close();
  }
}
