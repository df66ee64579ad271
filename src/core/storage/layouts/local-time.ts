// Local wall times in paths → instants. In the repeated or skipped hour of a summer-time change the later
// instant is taken: the footage then counts as younger, so it is never deleted early.
import { daysInMonth, zonedToInstant } from '../../time/index.js';

export type LocalTimeReader = (year: number, month: number, day: number, hour: number, minute: number, second: number) => number | undefined;

export function localTimeReader(timeZone: string): LocalTimeReader {
  const cache = new Map<number, number>();
  return (year, month, day, hour, minute, second) => {
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
      return undefined;
    }
    if (timeZone === 'UTC') return Date.UTC(year, month - 1, day, hour, minute, second);
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
