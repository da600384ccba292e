import { expect } from "chai";
import { SqlDeviceRepository } from "../../../src/storage/repositories/devices.js";
import { SqlSessionRepository } from "../../../src/storage/repositories/sessions.js";
import { androidPhone, registryOf, signIn } from "../support/device-registry.js";
import { insertApp } from "../support/rows.js";
import { openTestSqlDatabase, type TestSqlDatabase } from "../support/test-sql-database.js";

describe("storage conformance: sessions", () => {
  let database: TestSqlDatabase;
  let sessions: SqlSessionRepository;
  const now = new Date("2026-11-29T12:00:00.000Z");
  const inADay = new Date(now.getTime() + 86_400_000);

  before(async () => {
    database = await openTestSqlDatabase();
    sessions = new SqlSessionRepository(database.db);
    await insertApp(database.db, "app_1");
  });
  after(() => database.close());

  it("finds a session by its token until it expires, with its times as they were written", async () => {
    const session = {
      id: "ses_1",
      appId: "app_1",
      userId: "u1",
      deviceId: "d1",
      createdAt: now,
      expiresAt: inADay,
    };
    await sessions.create(session, "sess_secret_1");
    expect(await sessions.findByToken("sess_secret_1", now)).to.deep.equal(session);
    expect(await sessions.findByToken("sess_secret_1", inADay)).to.equal(null);
    expect(await sessions.findByToken("sess_other", now)).to.equal(null);
  });

  it("answers lookups made at once each by its own token and its own time", async () => {
    const session = (id: string, expiresAt: Date) => ({
      id,
      appId: "app_1",
      userId: `user-${id}`,
      deviceId: null,
      createdAt: now,
      expiresAt,
    });
    const soon = new Date(now.getTime() + 60_000);
    await sessions.create(session("ses_at_once_1", inADay), "sess_at_once_1");
    await sessions.create(session("ses_at_once_2", soon), "sess_at_once_2");
    const found = await Promise.all([
      sessions.findByToken("sess_at_once_1", now),
      sessions.findByToken("sess_at_once_2", now),
      sessions.findByToken("sess_at_once_2", soon),
      sessions.findByToken("sess_unknown", now),
      sessions.findByToken("sess_at_once_1", now),
    ]);
    expect(found.map((each) => each?.id ?? null)).to.deep.equal([
      "ses_at_once_1",
      "ses_at_once_2",
      null,
      null,
      "ses_at_once_1",
    ]);
  });

  it("purges the expired sessions only, and says how many", async () => {
    await sessions.create(
      {
        id: "ses_2",
        appId: "app_1",
        userId: "u2",
        deviceId: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + 1000),
      },
      "sess_secret_2",
    );
    expect(await sessions.purgeExpired(new Date(now.getTime() + 1000))).to.equal(1);
    expect(await sessions.findByToken("sess_secret_1", now)).to.not.equal(null);
  });

  it("ends a session", async () => {
    await sessions.end("ses_1");
    expect(await sessions.findByToken("sess_secret_1", now)).to.equal(null);
  });
});

describe("storage conformance: sign-out racing a registration", () => {
  let database: TestSqlDatabase;

  before(async () => {
    database = await openTestSqlDatabase();
    await insertApp(database.db, "app_race");
  });
  after(() => database.close());

  it("leaves no device of an ended session behind, whichever commits first", async () => {
    const devices = new SqlDeviceRepository(database.db);
    const sessions = new SqlSessionRepository(database.db);
    for (let round = 0; round < 10; round++) {
      const owners = await Promise.all(
        Array.from({ length: 10 }, (_, i) => signIn(database.db, "app_race", `u${round}-${i}`)),
      );
      await Promise.all(
        owners.flatMap((owner, i) => [
          devices
            .register(owner, androidPhone(`t${round}-${i}`, `d${round}-${i}`), [], new Date())
            .catch(() => false),
          sessions.end(owner.sessionId),
        ]),
      );
    }
    expect((await registryOf(database.db, "app_race")).devices).to.deep.equal([]);
  });
});
