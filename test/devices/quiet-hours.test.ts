import { expect } from "chai";
import {
  knownTimeZone,
  maxQuietWindows,
  runningQuietWindow,
  WallClock,
  wallTimeIn,
} from "../../src/domain/notification-settings/quiet-hours.js";
import type { TestGateway } from "../support/test-gateway.js";
import { type SignedIn, signIn, type TestApp } from "./client.js";
import { useGatewayWithApp } from "./fixtures.js";

const weeknights = { days: ["mon", "tue", "wed", "thu", "fri"], start: "22:00", end: "07:30" };
const weekends = { days: ["sat", "sun"], start: "00:00", end: "24:00" };
const paris = { time_zone: "Europe/Paris", windows: [weeknights, weekends], allow: ["call", "mention"] };

describe("quiet hours: wall-clock time in a zone", () => {
  it("reads the weekday and time of an instant in a zone, daylight saving included", () => {
    expect(wallTimeIn("Europe/Paris", new Date("2026-11-25T12:00:00Z"))).to.deep.equal({
      weekday: "wed",
      minutes: 13 * 60,
    });
    // The night Paris moves to summer time: 00:59Z is 01:59 (UTC+1), 01:00Z is 03:00 (UTC+2).
    expect(wallTimeIn("Europe/Paris", new Date("2026-03-29T00:59:00Z")).minutes).to.equal(60 + 59);
    expect(wallTimeIn("Europe/Paris", new Date("2026-03-29T01:00:00Z")).minutes).to.equal(3 * 60);
    // And back to winter time: 00:59Z is 02:59 (UTC+2), 01:00Z is 02:00 again (UTC+1).
    expect(wallTimeIn("Europe/Paris", new Date("2026-10-25T00:59:00Z")).minutes).to.equal(2 * 60 + 59);
    expect(wallTimeIn("Europe/Paris", new Date("2026-10-25T01:00:00Z")).minutes).to.equal(2 * 60);
  });

  it("keeps a window running until its end on the morning after the clocks go back", () => {
    const quietHours = {
      timeZone: "America/New_York",
      windows: [{ days: ["sat" as const], start: "23:00", end: "06:00" }],
      allow: [],
    };
    const running = (iso: string) =>
      runningQuietWindow(quietHours, new WallClock(new Date(iso))) !== undefined;
    // Sunday 1 November 2026, New York goes from UTC-4 to UTC-5 at 02:00 local time.
    expect(running("2026-11-01T10:30:00Z"), "05:30 local, UTC-5").to.equal(true);
    expect(running("2026-11-01T11:00:00Z"), "06:00 local").to.equal(false);
    expect(running("2026-10-31T02:59:00Z"), "Friday 22:59 local, UTC-4").to.equal(false);
    expect(running("2026-11-01T03:00:00Z"), "Saturday 23:00 local, UTC-4").to.equal(true);
  });

  it("knows IANA zones in their usual spelling, and refuses offsets and unknown names", () => {
    expect(knownTimeZone("Europe/Paris")).to.equal("Europe/Paris");
    expect(knownTimeZone("europe/paris")).to.equal("Europe/Paris");
    expect(knownTimeZone("UTC")).to.equal("UTC");
    expect(knownTimeZone("America/Argentina/Buenos_Aires")).to.equal("America/Argentina/Buenos_Aires");
    for (const bad of ["Europe/Pariss", "Mars/Olympus_Mons", "+01:00", "", "GMT+1 "]) {
      expect(knownTimeZone(bad), bad).to.equal(null);
    }
  });
});

describe("snooze and quiet hours (API)", () => {
  let gw: TestGateway;
  let app: TestApp;
  useGatewayWithApp((started) => ({ gw, app } = started));

  const put = (session: SignedIn, body: unknown) =>
    gw.request("PUT", "/v1/users/@me/notification-settings", { token: session.token, body });
  const get = (session: SignedIn) =>
    gw.request("GET", "/v1/users/@me/notification-settings", { token: session.token });

  it("keeps a snooze and quiet hours, in UTC and the zone's usual spelling, and removes them with null", async () => {
    const session = await signIn(gw, app, "qh-set");
    const written = await put(session, {
      snoozed_until: "2099-11-30T08:00:00+01:00",
      quiet_hours: { ...paris, time_zone: "europe/paris" },
    });
    expect(written.status).to.equal(200);
    expect(written.body).to.deep.include({ snoozed_until: "2099-11-30T07:00:00.000Z", quiet_hours: paris });
    expect((await get(session)).body).to.deep.equal(written.body);

    const switchedOff = await put(session, { enabled: false });
    expect(switchedOff.body).to.deep.include({
      enabled: false,
      snoozed_until: "2099-11-30T07:00:00.000Z",
      quiet_hours: paris,
    });
    const withoutSnooze = await put(session, { snoozed_until: null });
    expect(withoutSnooze.body).to.deep.include({ snoozed_until: null, quiet_hours: paris });
    const none = await put(session, { quiet_hours: null });
    expect(none.body).to.deep.include({ enabled: false, snoozed_until: null, quiet_hours: null });
  });

  it("takes quiet hours without windows, for a snooze's allow, and allow defaults to none", async () => {
    const session = await signIn(gw, app, "qh-allow-only");
    const answer = await put(session, {
      snoozed_until: "2099-01-01T00:00:00Z",
      quiet_hours: { time_zone: "UTC", windows: [], allow: ["call"] },
    });
    expect(answer.body.quiet_hours).to.deep.equal({ time_zone: "UTC", windows: [], allow: ["call"] });
    const noAllow = await put(session, { quiet_hours: { time_zone: "UTC", windows: [weekends] } });
    expect(noAllow.body.quiet_hours.allow).to.deep.equal([]);
  });

  it("reads a snooze whose time has passed as over", async () => {
    const session = await signIn(gw, app, "qh-past");
    expect((await put(session, { snoozed_until: "2020-01-01T00:00:00Z" })).body.snoozed_until).to.equal(null);
  });

  it("lets the server set a user's snooze and quiet hours through its twin", async () => {
    const session = await signIn(gw, app, "qh-server");
    const written = await gw.request("PUT", `/v1/apps/${app.id}/users/qh-server/notification-settings`, {
      token: app.server_key,
      body: { quiet_hours: paris },
    });
    expect(written.status).to.equal(200);
    expect((await get(session)).body.quiet_hours).to.deep.equal(paris);
  });

  it("refuses a bad zone, day, time, window list, allowance or date-time with a 400 naming the field, and changes nothing", async () => {
    const session = await signIn(gw, app, "qh-bad");
    const before = (await get(session)).body;
    const window = (fields: Record<string, unknown>) => ({
      enabled: false,
      quiet_hours: { time_zone: "Europe/Paris", windows: [{ ...weeknights, ...fields }] },
    });
    const tooMany = Array.from({ length: maxQuietWindows + 1 }, () => weekends);
    const cases: [unknown, string, RegExp][] = [
      [
        { enabled: false, quiet_hours: { ...paris, time_zone: "Europe/Pariss" } },
        "quiet_hours.time_zone",
        /IANA/,
      ],
      [{ enabled: false, quiet_hours: { ...paris, time_zone: "+01:00" } }, "quiet_hours.time_zone", /IANA/],
      [{ enabled: false, quiet_hours: { ...paris, time_zone: 1 } }, "quiet_hours.time_zone", /IANA/],
      [{ enabled: false, quiet_hours: { windows: [] } }, "quiet_hours.time_zone", /IANA/],
      [window({ days: ["monday"] }), "quiet_hours.windows.0.days.0", /must be a day: mon, tue/],
      [window({ days: [] }), "quiet_hours.windows.0.days", /at least one day/],
      [window({ days: ["mon", "mon"] }), "quiet_hours.windows.0.days", /more than once/],
      [window({ start: "25:00" }), "quiet_hours.windows.0.start", /00:00–23:59/],
      [window({ start: "24:00" }), "quiet_hours.windows.0.start", /00:00–23:59/],
      [window({ end: "24:01" }), "quiet_hours.windows.0.end", /00:00–24:00/],
      [window({ start: "7:30" }), "quiet_hours.windows.0.start", /HH:MM/],
      [window({ end: "07:60" }), "quiet_hours.windows.0.end", /HH:MM/],
      [
        { enabled: false, quiet_hours: { time_zone: "UTC", windows: tooMany } },
        "quiet_hours.windows",
        /at most 14 windows/,
      ],
      [
        { enabled: false, quiet_hours: { ...paris, allow: ["texts"] } },
        "quiet_hours.allow.0",
        /call, mention, custom/,
      ],
      [{ enabled: false, snoozed_until: "in two hours" }, "snoozed_until", /RFC 3339/],
      [{ enabled: false, snoozed_until: "2099-01-01T00:00:00" }, "snoozed_until", /RFC 3339/],
      [{ enabled: false, quiet_hours: { ...paris, days: ["mon"] } }, "quiet_hours", /days/],
    ];
    for (const [body, path, message] of cases) {
      const response = await put(session, body);
      const label = JSON.stringify(body).slice(0, 200);
      expect(response.status, label).to.equal(400);
      expect(response.headers.get("content-type"), label).to.match(/^application\/problem\+json/);
      const error = response.body.errors.find((candidate: { path: string }) => candidate.path === path);
      expect(error, `${label} → ${JSON.stringify(response.body.errors)}`).to.not.equal(undefined);
      expect(error.message, label).to.match(message);
    }
    expect((await get(session)).body, "no bad PUT changed anything").to.deep.equal(before);
    const endOfDay = await put(session, window({ start: "20:00", end: "24:00" }));
    expect(endOfDay.status, "24:00 is an end").to.equal(200);
  });
});
