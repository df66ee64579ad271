// Reading the times people type (`2026-10-20T08:00`, `2026-10-20`, `…Z`) as instants.
import { daysInMonth, formatZoned, zonedToInstant, type Resolve, type WallTime } from './zone.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export interface ParseInstantOptions {
  /** A date without a time means the start of that day, or (for the end of a range) the start of the next. */
  dateOnly?: 'start' | 'end';
  /** For a local time in the repeated or skipped hour: which of the two instants. */
  resolve?: Resolve;
}

/**
 * Parses an ISO 8601 date or date-time. Without `Z` or an offset it is the school's local time.
 * Returns undefined when the text is not such a time or names a day that does not exist.
 */
export function parseInstant(text: string, timeZone: string, options: ParseInstantOptions = {}): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const hasTime = m[4] !== undefined;
  const wall: WallTime = {
    year,
    month,
    day,
    hour: hasTime ? Number(m[4]) : 0,
    minute: hasTime ? Number(m[5]) : 0,
    second: m[6] === undefined ? 0 : Number(m[6]),
  };
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) return undefined;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  let ms: number;
  if (m[8] !== undefined) {
    const zone = m[8].toUpperCase();
    let offset = 0;
    if (zone !== 'Z') {
      const digits = zone.replace(':', '');
      offset = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000 * (digits.startsWith('-') ? -1 : 1);
    }
    ms = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - offset;
  } else {
    ms = zonedToInstant(wall, timeZone, options.resolve ?? 'earlier');
  }
  if (!hasTime && options.dateOnly === 'end') {
    const next = new Date(Date.UTC(year, month - 1, day + 1));
    const nextWall: WallTime = { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0 };
    return m[8] === undefined ? zonedToInstant(nextWall, timeZone, 'later') : ms + 86_400_000;
  }
  return ms + fraction;
}

/** Start of the school year (1 August, 00:00 local) that contains `ms`, or that `ms` is the first instant of. */
export function schoolYearStart(ms: number, timeZone: string): number {
  const probe = new Date(ms + 14 * 3_600_000); // any time zone is within 14 h of UTC
  let year = probe.getUTCFullYear();
  for (;;) {
    const start = zonedToInstant({ year, month: 8, day: 1, hour: 0, minute: 0, second: 0 }, timeZone, 'earlier');
    if (start <= ms) return start;
    year -= 1;
  }
}

/** The school year `2026-2027` that `ms` lies in (seed 003: "beeldmateriaal schooljaar 2020-2021"). */
export function schoolYearLabel(ms: number, timeZone: string): string {
  const start = schoolYearStart(ms, timeZone);
  const year = Number(formatZoned(start, timeZone).slice(0, 4));
  return `${year}-${year + 1}`;
}
