// ISO 8601 durations (P28D, P4W, P10M, PT72H …) and subtracting them from an instant in a time zone.
import { daysInMonth, wallTimeAt, zonedToInstant, type WallTime } from './zone.js';

export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Parses `P28D`-style durations; returns undefined for anything else (also for the empty `P`). */
export function parseDuration(text: string): Duration | undefined {
  const upper = text.trim().toUpperCase();
  const m = DURATION.exec(upper);
  // `P` and `PT` match the pattern but name no length.
  if (!m || upper === 'P' || upper.endsWith('T')) return undefined;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

export function isDuration(text: string): boolean {
  return parseDuration(text) !== undefined;
}

/** Shortest and longest length in milliseconds (a month is 28–31 days, a year 365–366, a day 23–25 hours). */
export function durationBounds(d: Duration): { min: number; max: number } {
  const hour = 3_600_000;
  const fixed = (d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000;
  const days = d.weeks * 7 + d.days;
  return {
    min: fixed + days * 23 * hour + d.months * 28 * 24 * hour + d.years * 365 * 24 * hour,
    max: fixed + days * 25 * hour + d.months * 31 * 24 * hour + d.years * 366 * 24 * hour,
  };
}

/** Subtracts years, months and days on the calendar of `timeZone` (a month back from 31 March is 28/29 February). */
function subtractCalendar(ms: number, d: Duration, timeZone: string): number {
  const w = wallTimeAt(ms, timeZone);
  let year = w.year - d.years;
  let month = w.month - d.months;
  while (month < 1) {
    month += 12;
    year -= 1;
  }
  const day = Math.min(w.day, daysInMonth(year, month));
  // Day arithmetic on the naive calendar, then back to an instant; the earlier instant keeps more footage.
  const naive = Date.UTC(year, month - 1, day, w.hour, w.minute, w.second) - (d.weeks * 7 + d.days) * 86_400_000;
  const n = new Date(naive);
  const back: WallTime = {
    year: n.getUTCFullYear(),
    month: n.getUTCMonth() + 1,
    day: n.getUTCDate(),
    hour: n.getUTCHours(),
    minute: n.getUTCMinutes(),
    second: n.getUTCSeconds(),
  };
  const instant = zonedToInstant(back, timeZone, 'earlier');
  return instant - (d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000 + (ms % 1000);
}

/**
 * The instant `d` before `ms`. Days are ambiguous around a summer-time change (23 or 25 hours), so this
 * takes the earlier of the calendar reading and the 24-hour reading: a retention cut-off computed with it
 * never deletes footage before either reading allows.
 */
export function subtractDuration(ms: number, d: Duration, timeZone: string): number {
  const calendar = subtractCalendar(ms, d, timeZone);
  if (d.years === 0 && d.months === 0) {
    const absolute = ms - ((d.weeks * 7 + d.days) * 86_400 + d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000;
    return Math.min(calendar, absolute);
  }
  return calendar;
}

/** Human form in Dutch-neutral English: `28 days`, `10 months`. */
export function describeDuration(d: Duration): string {
  const parts: string[] = [];
  const add = (n: number, one: string, many: string): void => {
    if (n) parts.push(`${n} ${n === 1 ? one : many}`);
  };
  add(d.years, 'year', 'years');
  add(d.months, 'month', 'months');
  add(d.weeks, 'week', 'weeks');
  add(d.days, 'day', 'days');
  add(d.hours, 'hour', 'hours');
  add(d.minutes, 'minute', 'minutes');
  add(d.seconds, 'second', 'seconds');
  return parts.length ? parts.join(' ') : '0 seconds';
}
