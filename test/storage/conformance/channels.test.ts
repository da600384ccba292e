import { expect } from "chai";
import { SqlChannelRepository } from "../../../src/storage/repositories/channels.js";
import { insertApp } from "../support/rows.js";
import { openTestSqlDatabase, type TestSqlDatabase } from "../support/test-sql-database.js";

describe("storage conformance: channels", () => {
  let database: TestSqlDatabase;
  let channels: SqlChannelRepository;

  before(async () => {
    database = await openTestSqlDatabase();
    channels = new SqlChannelRepository(database.db);
    await insertApp(database.db, "app_1");
    await insertApp(database.db, "app_2");
  });
  after(() => database.close());

  const sorted = async (appId: string, channelId: string) =>
    (await channels.members(appId, channelId)).sort();

  it("replaces a channel's members with a snapshot, duplicates once, other channels and apps untouched", async () => {
    await channels.replaceMembers("app_1", "c1", ["u1", "u2", "u3"]);
    await channels.replaceMembers("app_1", "c2", ["u9"]);
    await channels.replaceMembers("app_2", "c1", ["u7"]);
    await channels.replaceMembers("app_1", "c1", ["u3", "u4", "u4"]);
    expect(await sorted("app_1", "c1")).to.deep.equal(["u3", "u4"]);
    expect(await sorted("app_1", "c2")).to.deep.equal(["u9"]);
    expect(await sorted("app_2", "c1")).to.deep.equal(["u7"]);
  });

  it("takes a snapshot of 5,000 members in one go, and an empty one", async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `user_${i}`);
    await channels.replaceMembers("app_1", "big", many);
    expect(await channels.members("app_1", "big")).to.have.length(5000);
    await channels.replaceMembers("app_1", "big", []);
    expect(await channels.members("app_1", "big")).to.deep.equal([]);
  });

  it("applies snapshots written at once one after the other: the result is one of them, never a mix", async () => {
    const snapshots = Array.from({ length: 8 }, (_, i) => [`a${i}`, `b${i}`, "shared"]);
    await Promise.all(snapshots.map((snapshot) => channels.replaceMembers("app_1", "race", snapshot)));
    const result = await sorted("app_1", "race");
    expect(snapshots.map((snapshot) => [...snapshot].sort())).to.deep.include(result);
  });

  it("applies snapshots of several processes at once one after the other, channel by channel", async () => {
    // A repository per process: their writes are separate statements racing in the database.
    const workers = Array.from({ length: 12 }, () => new SqlChannelRepository(database.db));
    const snapshot = (i: number, channel: string) => [`${channel}-a${i}`, `${channel}-b${i}`, "shared"];
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        workers.flatMap((worker, i) => [
          worker.replaceMembers("app_1", "race-1", snapshot(i, "race-1")),
          worker.replaceMembers("app_1", "race-2", snapshot(i, "race-2")),
        ]),
      );
      for (const channel of ["race-1", "race-2"]) {
        const options = workers.map((_, i) => snapshot(i, channel).sort());
        expect(options).to.deep.include(await sorted("app_1", channel));
      }
    }
  });

  it("adds and removes one member, harmlessly twice, and deletes a channel", async () => {
    await channels.addMember("app_1", "c3", "u1");
    await channels.addMember("app_1", "c3", "u1");
    await channels.addMember("app_1", "c3", "u2");
    await channels.removeMember("app_1", "c3", "u2");
    await channels.removeMember("app_1", "c3", "u2");
    expect(await sorted("app_1", "c3")).to.deep.equal(["u1"]);
    await channels.deleteChannel("app_1", "c3");
    expect(await channels.members("app_1", "c3")).to.deep.equal([]);
  });
});
