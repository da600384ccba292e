import type { App } from "../../domain/apps/app.js";
import type { RecipientToken } from "../../domain/audience/audience.js";
import { platforms, tokenTail } from "../../domain/devices/device.js";
import type { EventRecord } from "../../domain/events/event-record.js";
import {
  type ChannelSettings,
  type ChannelSettingsEntry,
  type RoleFilter,
  stillAhead,
  type UserNotificationSettings,
} from "../../domain/notification-settings/notification-settings.js";
import {
  type QuietHours,
  runningQuietWindow,
  WallClock,
  wallTimeIn,
} from "../../domain/notification-settings/quiet-hours.js";
import type { ConsoleLocals } from "../console-auth.js";
import { consoleBase } from "../console-auth.js";
import type { Flash } from "../flash.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, page, scrollBox, time } from "./layout.js";

/** What the page was asked about. */
export interface UserQuery {
  appId: string;
  userId: string;
  channelId: string;
}

export interface UserLookup {
  app: App;
  userId: string;
  channelId: string;
  tokens: RecipientToken[];
  /** The user's unread count, the app icon's badge; null under the app's `badge: off`. */
  badge: number | null;
  /** The moment the page tells the settings at. */
  at: Date;
  settings: UserNotificationSettings;
  /** The channels set apart from the default. */
  channels: ChannelSettingsEntry[];
  /** Null when no channel was asked about. */
  channelAsked: ChannelSettings | null;
  events: EventRecord[];
  eventsScanned: number;
}

function onOff(enabled: boolean): SafeHtml {
  return enabled ? html`<span class="status-on">on</span>` : html`<span class="status-off">off</span>`;
}

function roleFilter(filter: RoleFilter): string {
  if (filter === null) return "from anyone";
  return "only" in filter ? `only from ${filter.only.join(", ")}` : `never from ${filter.not.join(", ")}`;
}

function lookupForm(apps: App[], appId: string, userId: string, channelId: string): SafeHtml {
  return html`<form method="get" action="${consoleBase}/users" class="inline" aria-label="Look up a user">
    <label for="u-app">App<select id="u-app" name="app">${apps.map(
      (app) =>
        html`<option value="${app.id}"${app.id === appId ? html` selected` : ""}>${app.name} (${app.id})</option>`,
    )}</select></label>
    <label for="u-user">User id<input id="u-user" name="user" required value="${userId}"></label>
    <label for="u-channel">Channel id <span class="hint">(optional)</span><input id="u-channel" name="channel" value="${channelId}"></label>
    <button type="submit">Look up</button>
  </form>`;
}

function removeLink(lookup: UserLookup, token: RecipientToken): SafeHtml {
  const params = new URLSearchParams({ app: lookup.app.id, user: lookup.userId, device: token.deviceId });
  return html`<a class="tap" href="${consoleBase}/users/devices/remove?${params.toString()}">Remove…<span
    class="visually-hidden"> device ${token.clientDeviceId ?? tokenTail(token.token)}</span></a>`;
}

function devices(lookup: UserLookup): SafeHtml {
  const sections = platforms.map((platform) => {
    const own = lookup.tokens.filter((token) => token.platform === platform);
    return html`<h3>${platform} (${own.length})</h3>
      ${
        own.length
          ? scrollBox(
              `${platform} devices`,
              html`<table><caption class="visually-hidden">${platform} tokens</caption>
            <thead><tr><th scope="col">Device</th><th scope="col">Provider</th><th scope="col">Token</th><th scope="col">Remove</th></tr></thead>
            <tbody>${own.map((token) => html`<tr><td><code>${token.clientDeviceId ?? token.deviceId}</code></td><td>${token.provider}${token.voip ? " (VoIP)" : ""}</td><td><code class="wrap">${token.token}</code></td><td>${removeLink(lookup, token)}</td></tr>`)}</tbody></table>`,
            )
          : html`<p>None.</p>`
      }`;
  });
  return html`<h2>Devices</h2>${sections}`;
}

export function removeDeviceConfirmPage(
  locals: ConsoleLocals,
  app: App,
  userId: string,
  tokens: RecipientToken[],
) {
  const [first] = tokens;
  const name = first?.clientDeviceId ?? tokenTail(first?.token ?? "");
  return page({
    title: `Remove the device ${name} from ${userId}?`,
    section: "users",
    locals,
    body: html`<p>The device and its ${tokens.length === 1 ? "token" : `${tokens.length} tokens`}
        (${tokens.map((token) => `${token.provider} ${tokenTail(token.token)}`).join(", ")}) are removed from
        ${userId} in ${app.name}: no notification goes to it until its app registers it again.
        A device only synced to ${userId} stays with its owner; ${userId} just stops receiving on it.</p>
      <form method="post" action="${consoleBase}/users/devices/remove" class="actions">
        ${csrfField(locals)}
        <input type="hidden" name="app" value="${app.id}">
        <input type="hidden" name="user" value="${userId}">
        <input type="hidden" name="device" value="${first?.deviceId ?? ""}">
        <button type="submit" class="danger">Remove the device</button>
        <a class="tap" href="${consoleBase}/users?${new URLSearchParams({ app: app.id, user: userId }).toString()}">Keep it</a>
      </form>`,
  });
}

/**
 * A moment as the user's clock shows it: the time of day when it is the same day there as
 * `at`, else the day too, and the zone (the user's quiet-hours zone, else UTC).
 */
function wallClockText(moment: Date, at: Date, timeZone: string): string {
  const day = new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium" });
  const clock = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const sameDay = day.format(moment) === day.format(at);
  return `${sameDay ? "" : `${day.format(moment)} `}${clock.format(moment)} ${timeZone} time`;
}

function zoneOf(settings: UserNotificationSettings): string {
  return settings.quietHours?.timeZone ?? "UTC";
}

function quietHoursFact(quietHours: QuietHours | null, at: Date): SafeHtml | string {
  if (!quietHours) return "none";
  const running = runningQuietWindow(quietHours, new WallClock(at));
  const allowed = quietHours.allow.length ? `; still lets through: ${quietHours.allow.join(", ")}` : "";
  if (running)
    return html`<strong>quiet hours until ${running.end} ${quietHours.timeZone} time</strong>${allowed}`;
  const { weekday } = wallTimeIn(quietHours.timeZone, at);
  const windows = quietHours.windows.map(
    (window) => `${window.days.join(", ")} ${window.start}–${window.end}`,
  );
  return `${windows.length ? windows.join("; ") : "no windows"} (${quietHours.timeZone}, ${weekday} there now), not running${allowed}`;
}

function channelFact(channelId: string, channel: ChannelSettings, lookup: UserLookup): SafeHtml {
  const name = `#${channelId}`;
  if (stillAhead(channel.mutedUntil, lookup.at)) {
    const until = wallClockText(channel.mutedUntil, lookup.at, zoneOf(lookup.settings));
    return html`<span class="status-off">muted in ${name} until ${until}</span>${
      channel.level === "all" ? "" : html`, then ${channel.level === "none" ? "off" : "mentions only"}`
    }`;
  }
  if (channel.level === "none") return html`<span class="status-off">${name}: off</span>`;
  if (channel.level === "mentions") return html`${name}: mentions only (and calls)`;
  return html`${name}: ${onOff(true)}`;
}

function toggles(lookup: UserLookup): SafeHtml {
  const { app, settings, at } = lookup;
  const snooze = stillAhead(settings.snoozedUntil, at)
    ? html`<strong>snoozed until ${wallClockText(settings.snoozedUntil, at, zoneOf(settings))}</strong>`
    : "not snoozed";
  return html`<h2>Notification settings</h2>
    <p>A notification must pass all three levels.</p>
    <dl class="facts">
      <dt>Network (the app's push switch)</dt><dd>${onOff(app.pushEnabled)}</dd>
      <dt>User (all devices)</dt><dd>${onOff(settings.enabled)}</dd>
      <dt>Snooze</dt><dd>${snooze}</dd>
      <dt>Quiet hours</dt><dd>${quietHoursFact(settings.quietHours, at)}</dd>
      <dt>Held back by snooze or quiet hours</dt><dd>${app.quietDelivery === "silent" ? "sent silently" : "dropped"}</dd>
      ${settings.modules.map(
        (module) =>
          html`<dt>Module ${module.module}</dt><dd>${onOff(module.enabled)}, ${roleFilter(module.roleFilter)}</dd>`,
      )}
      <dt>Channels set apart</dt><dd>${
        lookup.channels.length
          ? html`<ul>${lookup.channels.map((entry) => html`<li>${channelFact(entry.channelId, entry, lookup)}</li>`)}</ul>`
          : "none: every channel notifies"
      }</dd>
      <dt>Channel</dt><dd>${
        lookup.channelAsked === null
          ? "give a channel id to see its setting"
          : channelFact(lookup.channelId, lookup.channelAsked, lookup)
      }</dd>
    </dl>`;
}

function testForm(locals: ConsoleLocals, lookup: UserLookup): SafeHtml {
  return html`<form method="post" action="${consoleBase}/users/test-notification" aria-label="Send a test notification">
    ${csrfField(locals)}
    <input type="hidden" name="app" value="${lookup.app.id}">
    <input type="hidden" name="user" value="${lookup.userId}">
    <input type="hidden" name="channel" value="${lookup.channelId}">
    <button type="submit">Send a test notification</button>
    <span class="hint">to every device of the user now, past the toggles; not retried</span>
  </form>`;
}

function testAnswers(test: NonNullable<Flash["test"]>): SafeHtml {
  const suppress = test.wouldSuppress
    ? html`A real message would be stopped now by: <strong>${test.wouldSuppress}</strong>.`
    : "No toggle would stop a real message now.";
  return html`<section aria-labelledby="test-answers">
    <h2 id="test-answers">Test notification</h2>
    <p>${suppress}</p>
    ${
      test.devices.length
        ? scrollBox(
            "Each device's answer to the test notification",
            html`<table><caption class="visually-hidden">Each device's answer to the test notification</caption>
          <thead><tr><th scope="col">Device</th><th scope="col">Provider</th><th scope="col">Token (last 8)</th><th scope="col">Outcome</th><th scope="col">Provider status</th><th scope="col">Provider error</th></tr></thead>
          <tbody>${test.devices.map(
            (device) =>
              html`<tr><td><code>${device.deviceId ?? "—"}</code></td><td>${device.provider}</td><td><code>${device.tokenTail}</code></td><td>${device.outcome}</td><td>${device.providerStatus ?? "—"}</td><td>${device.providerError ?? "—"}</td></tr>`,
          )}</tbody></table>`,
          )
        : ""
    }
    ${test.devicesLeftOut ? html`<p>And ${test.devicesLeftOut} more devices, not listed here.</p>` : ""}
  </section>`;
}

function badgeLine(badge: number | null): SafeHtml {
  return html`<h2>Badge</h2>
    <p>${badge === null ? "The app sends no badge (badge: off)." : html`Unread count, sent as the app icon's badge: <strong>${badge}</strong>`}</p>`;
}

function latestEvents(lookup: UserLookup): SafeHtml {
  return html`<h2>Latest events</h2>
    <p class="hint">Among the app's last ${lookup.eventsScanned} events: those the user sent, or that name the user
      as a recipient or channel member. Events whose members come from stored membership are not matched.</p>
    ${
      lookup.events.length
        ? html`<ul>${lookup.events.map(
            (record) =>
              html`<li>${time(record.receivedAt)} <a href="${consoleBase}/apps/${record.appId}/events/${encodeURIComponent(record.id)}">${record.type} ${record.id}</a> — ${record.status}</li>`,
          )}</ul>`
        : html`<p>None found.</p>`
    }`;
}

export function usersPage(
  locals: ConsoleLocals,
  apps: App[],
  query: UserQuery,
  lookup: UserLookup | null,
): SafeHtml {
  const test = locals.flash?.test;
  return page({
    title: lookup ? `User ${lookup.userId}` : "Users",
    section: "users",
    locals,
    body: html`${lookupForm(apps, query.appId, query.userId, query.channelId)}
      ${test ? testAnswers(test) : ""}
      ${lookup ? html`${devices(lookup)}${testForm(locals, lookup)}${badgeLine(lookup.badge)}${toggles(lookup)}${latestEvents(lookup)}` : ""}`,
  });
}
