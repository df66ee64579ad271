// Calendar dates (YYYY-MM-DD, no time of day) in the school's zone: legal deadlines are counted on them.
import { daysInMonth, wallTimeAt, zonedToInstant } from './zone.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `2026-01-31` → its parts; undefined when it is no date or names a day that does not exist. */
export function parseDate(text: string): { year: number; month: number; day: number } | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export function formatDateParts(d: { year: number; month: number; day: number }): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** The school's calendar date at an instant. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallTimeAt(ms, timeZone);
  return formatDateParts(w);
}

/**
 * The same day `months` later on the calendar; a day the month lacks becomes its last day
 * (31 January + 1 month = 28 or 29 February; 31 March + 1 month = 30 April).
 */
export function addMonths(date: string, months: number): string {
  const d = parseDate(date);
  if (!d) throw new Error(`not a date: ${date}`);
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return formatDateParts({ year, month, day: Math.min(d.day, daysInMonth(year, month)) });
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = parseDate(from);
  const b = parseDate(to);
  if (!a || !b) throw new Error(`not a date: ${a ? to : from}`);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/** The last instant of a calendar day in `timeZone` (the first instant of the next day, minus one millisecond). */
export function endOfDay(date: string, timeZone: string): number {
  const d = parseDate(date);
  if (!d) throw new Error(`not a date: ${date}`);
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return zonedToInstant({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0 }, timeZone, 'later') - 1;
}

/** Age in whole years on `on` of someone born on `birth` (a birthday on 29 February counts from 1 March). */
export function ageOn(birth: string, on: string): number {
  const b = parseDate(birth);
  const o = parseDate(on);
  if (!b || !o) throw new Error(`not a date: ${b ? on : birth}`);
  let age = o.year - b.year;
  if (o.month < b.month || (o.month === b.month && o.day < b.day)) age--;
  return age;
}
