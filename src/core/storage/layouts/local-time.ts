// Local wall times in paths → instants. In the repeated or skipped hour of a summer-time change the later
// instant is taken: the footage then counts as younger, so it is never deleted early.
import { daysInMonth, zonedToInstant } from '../../time/index.js';

const DAY_MS = 86_400_000;

/** Date.UTC without its trap: years 0–99 are not 1900–1999 (a folder `0000-01-01` is year 0, not 1900). */
export function utcInstant(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

/**
 * A date no recorder writes: before 1970, or more than a day after `now`. Such a file is unknown to the purge:
 * kept and reported, never taken for footage of another century.
 */
export function implausibleDate(start: number, now: number): boolean {
  return !Number.isFinite(start) || start < 0 || start > now + DAY_MS;
}

export type LocalTimeReader = (year: number, month: number, day: number, hour: number, minute: number, second: number) => number | undefined;

export function localTimeReader(timeZone: string): LocalTimeReader {
  const cache = new Map<number, number>();
  return (year, month, day, hour, minute, second) => {
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
      return undefined;
    }
    // Before 1970 the zone does not matter: such a date is implausible anyway, only never another century.
    if (timeZone === 'UTC' || year < 1970) return utcInstant(year, month, day, hour, minute, second);
    // One conversion per minute of footage is enough; the seconds are added on.
    const key = ((year * 100 + month) * 100 + day) * 10_000 + hour * 100 + minute;
    let base = cache.get(key);
    if (base === undefined) {
      base = zonedToInstant({ year, month, day, hour, minute, second: 0 }, timeZone, 'later');
      if (cache.size > 200_000) cache.clear();
      cache.set(key, base);
    }
    return base + second * 1000;
  };
}
