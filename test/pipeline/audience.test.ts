import { expect } from "chai";
import { eventId, messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { type PushWorld, startPushWorld, type UserDevices, userWithDevices } from "../support/push-world.js";

const now = () => new Date().toISOString();

describe("recipients: toggles and channel membership", () => {
  let world: PushWorld;
  const users: Record<string, UserDevices> = {};

  before(async () => {
    world = await startPushWorld({
      RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: 100_000,
      RATE_LIMIT_DEVICE_WRITES_PER_MINUTE: 1000,
    });
    for (const id of ["u1", "u2", "u3", "u4", "u5", "u6"]) {
      users[id] = await userWithDevices(world.gw, world.app, id, { android: true });
    }
  });
  after(() => world.close());
  beforeEach(() => world.sims.received.clear());

  const tokenOf = (id: string) => users[id]?.android as string;
  const reached = () =>
    Object.keys(users)
      .filter((id) => world.sims.received.forToken(tokenOf(id)).length > 0)
      .sort();

  async function run(event: Record<string, unknown>) {
    const accepted = await postEvent(world.gw, world.app, event);
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
    const status = await waitForEvent(world.gw, world.app, event.id as string);
    await world.sims.received.waitFor(status.deliveries.sent);
    return status;
  }

  /** The user and channel toggles a test changed, set back to their defaults after it. */
  const changedSettings: string[] = [];

  function putSettings(path: string, body: unknown) {
    return world.gw.request("PUT", `/v1/apps/${world.app.id}/users/${path}`, {
      token: world.app.server_key,
      body,
    });
  }

  function settings(path: string, body: unknown) {
    changedSettings.push(path);
    return putSettings(path, body);
  }

  // Each test starts from the default toggles, whatever the one before it changed.
  afterEach(async () => {
    for (const path of changedSettings.splice(0)) {
      const defaults = path.includes("/channels/")
        ? { enabled: true }
        : {
            enabled: true,
            modules: ["chat", "social", "video"].map((module) => ({
              module,
              enabled: true,
              role_filter: null,
            })),
          };
      const reset = await putSettings(path, defaults);
      expect(reset.status, `resetting ${path}`).to.equal(200);
    }
  });

  it("suppresses by user switch, module, role filter and channel, and counts them", async () => {
    expect((await settings("u2/notification-settings", { enabled: false })).status).to.equal(200);
    await settings("u3/notification-settings", { modules: [{ module: "chat", enabled: false }] });
    await settings("u4/channels/t1/notification-settings", { enabled: false });
    await settings("u5/notification-settings", {
      modules: [{ module: "video", role_filter: { only: ["moderator"] } }],
    });
    const channel = { id: "t1", display_name: "Toggles", member_ids: ["u1", "u2", "u3", "u4", "u5", "u6"] };
    const actor = { id: "u1", display_name: "Alice", roles: ["member"] };

    const message = await run(messageEvent({ actor, channel }));
    expect(message).to.include({ recipients: 5, suppressed: 3 });
    expect(message.suppressed_by).to.deep.equal({ user: 1, module: 1, channel: 1 });
    expect(reached()).to.deep.equal(["u5", "u6"]);

    world.sims.received.clear();
    const call = await run({
      id: eventId(),
      type: "call.ringing",
      occurred_at: now(),
      actor,
      channel,
      call: { id: "k", kind: "audio" },
    });
    expect(call).to.include({ recipients: 5, suppressed: 3 });
    expect(call.suppressed_by).to.deep.equal({ user: 1, role_filter: 1, channel: 1 });
    expect(reached(), "chat off does not stop a call; the role filter does").to.deep.equal(["u3", "u6"]);

    world.sims.received.clear();
    const moderator = await run({
      id: eventId(),
      type: "call.ringing",
      occurred_at: now(),
      actor: { ...actor, roles: ["moderator"] },
      channel,
      call: { id: "k2", kind: "audio" },
    });
    expect(moderator.suppressed).to.equal(2);
    expect(moderator.suppressed_by).to.deep.equal({ user: 1, channel: 1 });
    expect(reached()).to.deep.equal(["u3", "u5", "u6"]);
  });

  it("suppresses everyone when the app's network switch is off", async () => {
    const off = await world.gw.request("PATCH", `/v1/apps/${world.app.id}`, {
      token: world.app.server_key,
      body: { push_enabled: false },
    });
    expect(off.status).to.equal(200);
    try {
      const status = await run(messageEvent({ channel: { id: "n1", member_ids: ["u1", "u6"] } }));
      expect(status).to.include({ recipients: 1, suppressed: 1 });
      expect(status.suppressed_by).to.deep.equal({ network: 1 });
      expect(status.deliveries.sent).to.equal(0);
      expect(reached()).to.deep.equal([]);
    } finally {
      await world.gw.request("PATCH", `/v1/apps/${world.app.id}`, {
        token: world.app.server_key,
        body: { push_enabled: true },
      });
    }
  });

  it("keeps channel membership from events and the members API", async () => {
    const actor = { id: "u1", display_name: "Alice" };
    const say = (text: string) =>
      run(
        messageEvent({
          actor,
          channel: { id: "m1", display_name: "Members" },
          message: { id: eventId(), type: "text", text },
        }),
      );

    await run({
      id: eventId(),
      type: "channel.created",
      occurred_at: now(),
      actor,
      channel: { id: "m1", member_ids: ["u1", "u6"] },
    });
    expect(reached(), "channel.created notifies the listed members").to.deep.equal(["u6"]);
    world.sims.received.clear();
    await say("from the snapshot");
    expect(reached()).to.deep.equal(["u6"]);

    world.sims.received.clear();
    await run({
      id: eventId(),
      type: "channel.member_joined",
      occurred_at: now(),
      actor: { id: "u5", display_name: "Eve" },
      channel: { id: "m1" },
    });
    expect(reached(), "the members already in, not the joiner").to.deep.equal(["u1", "u6"]);
    world.sims.received.clear();
    await say("after the join");
    expect(reached()).to.deep.equal(["u5", "u6"]);

    await run({
      id: eventId(),
      type: "channel.member_left",
      occurred_at: now(),
      actor: { id: "u6" },
      channel: { id: "m1" },
    });
    world.sims.received.clear();
    await say("after the leave");
    expect(reached()).to.deep.equal(["u5"]);

    const path = `/v1/apps/${world.app.id}/channels/m1/members`;
    const put = await world.gw.request("PUT", path, {
      token: world.app.server_key,
      body: { member_ids: ["u1", "u4"] },
    });
    expect(put.status).to.equal(200);
    expect(
      (await world.gw.request("GET", path, { token: world.app.server_key })).body.member_ids,
    ).to.have.members(["u1", "u4"]);
    world.sims.received.clear();
    await say("after the members API");
    expect(reached()).to.deep.equal(["u4"]);

    await run({ id: eventId(), type: "channel.deleted", occurred_at: now(), actor, channel: { id: "m1" } });
    world.sims.received.clear();
    const afterDelete = await say("into the void");
    expect(afterDelete.recipients).to.equal(0);
    expect(
      (await world.gw.request("GET", path, { token: world.app.server_key })).body.member_ids,
    ).to.deep.equal([]);
  });

  it("lets recipient_ids replace the computed recipients, never including the actor", async () => {
    const status = await run(
      messageEvent({ recipient_ids: ["u1", "u4"], channel: { id: "r1", member_ids: ["u1", "u2", "u6"] } }),
    );
    expect(status.recipients).to.equal(1);
    expect(reached()).to.deep.equal(["u4"]);
  });
});

describe("notification TTL", () => {
  it("stops retrying a token when the TTL runs out and ends the event expired", async () => {
    const world = await startPushWorld({}, { notification_ttl_seconds: 1 });
    try {
      const stuck = await userWithDevices(world.gw, world.app, "s1", { ios: true });
      world.sims.scriptToken(stuck.ios as string, { kind: "flaky", failures: 1000, status: 429 });
      const event = messageEvent({ actor: { id: "s0" }, channel: { id: "x", member_ids: ["s0", "s1"] } });
      expect((await postEvent(world.gw, world.app, event)).status).to.equal(202);
      const status = await waitForEvent(world.gw, world.app, event.id);
      expect(status.status).to.equal("expired");
      expect(status.deliveries).to.include({ sent: 0, expired: 1, pending: 0 });
      expect(world.sims.received.entries).to.have.length(0);
    } finally {
      await world.close();
    }
  });
});
