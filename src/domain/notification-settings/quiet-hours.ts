/** The days a quiet-hours window may start on, Monday first. */
export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof weekdays)[number];

/** What still comes through a snooze or quiet hours when the user allows it. */
export const quietAllowances = ["call", "mention", "custom"] as const;
export type QuietAllowance = (typeof quietAllowances)[number];

/** A weekly wall-clock window; `end` at or before `start` runs past midnight into the next day. */
export interface QuietWindow {
  /** The days the window starts on. */
  days: Weekday[];
  /** `HH:MM`, 00:00–23:59. */
  start: string;
  /** `HH:MM`, 00:00–24:00. */
  end: string;
}

export interface QuietHours {
  /** An IANA time zone, such as `Europe/Paris`. */
  timeZone: string;
  windows: QuietWindow[];
  /** Also what a snooze lets through. */
  allow: QuietAllowance[];
}

/** Enough for a window per day and a second one on each: a longer list is a mistake, not a schedule. */
export const maxQuietWindows = 14;

const startClock = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isStartClock(text: string): boolean {
  return startClock.test(text);
}

/** An end may also be `24:00`, the end of the day. */
export function isEndClock(text: string): boolean {
  return startClock.test(text) || text === "24:00";
}

/** Minutes since midnight of a valid `HH:MM`. */
export function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

const canonicalZones = new Map(
  Intl.supportedValuesOf("timeZone").map((zone) => [zone.toLowerCase(), zone] as const),
);

/**
 * The zone's usual spelling when `name` is an IANA time zone this runtime knows, else null.
 * Offsets such as `+01:00` are refused: they have no daylight-saving rules.
 */
export function knownTimeZone(name: string): string | null {
  if (!/^[A-Za-z]/.test(name)) return null;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
  } catch {
    return null;
  }
  return canonicalZones.get(name.toLowerCase()) ?? name;
}

/** The weekday and the minute of the day that a clock on the wall shows somewhere. */
export interface WallTime {
  weekday: Weekday;
  minutes: number;
}

const weekdayOfShortName: Record<string, Weekday> = {
  Mon: "mon",
  Tue: "tue",
  Wed: "wed",
  Thu: "thu",
  Fri: "fri",
  Sat: "sat",
  Sun: "sun",
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall time of `instant` in `timeZone`, daylight saving included, as the runtime's zone data has it. */
export function wallTimeIn(timeZone: string, instant: Date): WallTime {
  const parts = formatterOf(timeZone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((each) => each.type === type)?.value ?? "";
  return {
    weekday: weekdayOfShortName[part("weekday")] as Weekday,
    minutes: Number(part("hour")) * 60 + Number(part("minute")),
  };
}

/**
 * The wall times of one instant in every zone asked about, each worked out once: a fan-out
 * checks thousands of recipients against the same few zones.
 */
export class WallClock {
  readonly #byZone = new Map<string, WallTime>();

  constructor(readonly instant: Date) {}

  in(timeZone: string): WallTime {
    let wall = this.#byZone.get(timeZone);
    if (!wall) {
      wall = wallTimeIn(timeZone, this.instant);
      this.#byZone.set(timeZone, wall);
    }
    return wall;
  }
}

function dayBefore(day: Weekday): Weekday {
  return weekdays[(weekdays.indexOf(day) + weekdays.length - 1) % weekdays.length] as Weekday;
}

function windowRunsAt(window: QuietWindow, wall: WallTime): boolean {
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (end > start) return window.days.includes(wall.weekday) && wall.minutes >= start && wall.minutes < end;
  // Past midnight: the evening of a day it starts on, or the morning after one.
  return (
    (window.days.includes(wall.weekday) && wall.minutes >= start) ||
    (window.days.includes(dayBefore(wall.weekday)) && wall.minutes < end)
  );
}

/** The first window of the quiet hours running at that moment, or undefined. */
export function runningQuietWindow(quietHours: QuietHours, clock: WallClock): QuietWindow | undefined {
  if (quietHours.windows.length === 0) return undefined;
  const wall = clock.in(quietHours.timeZone);
  return quietHours.windows.find((window) => windowRunsAt(window, wall));
}
