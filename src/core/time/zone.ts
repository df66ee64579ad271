// Wall-clock time in a named time zone (Europe/Amsterdam has summer time), without a date library:
// Intl gives the offset at an instant; local → UTC is solved from the offsets around it.

export interface WallTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Which instant to take when a wall time happens twice (clocks back) or not at all (clocks forward). */
export type Resolve = 'earlier' | 'later';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall time in `timeZone` at the instant `ms` (milliseconds since the epoch). */
export function wallTimeAt(ms: number, timeZone: string): WallTime {
  if (timeZone === 'UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

// Offsets change at most on whole minutes and rarely; cache them per UTC hour.
const offsetCache = new Map<string, number>();

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds (Amsterdam: +1 h in winter, +2 h in summer). */
export function offsetAt(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const hour = Math.floor(ms / 3_600_000);
  const key = `${timeZone}|${hour}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    // Compute at the start of this UTC hour; every real zone changes offset on an hour boundary in UTC
    // or on a quarter hour at worst, so check both ends and only cache when they agree.
    const start = hour * 3_600_000;
    const a = wallToNaiveMs(wallTimeAt(start, timeZone)) - start;
    const b = wallToNaiveMs(wallTimeAt(start + 3_599_000, timeZone)) - (start + 3_599_000);
    if (a !== b) {
      const w = wallTimeAt(Math.floor(ms / 1000) * 1000, timeZone);
      return wallToNaiveMs(w) - Math.floor(ms / 1000) * 1000;
    }
    offset = a;
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

/** The wall time read as if it were UTC: the "naive" milliseconds used in offset arithmetic. */
export function wallToNaiveMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/**
 * The instant at which the clocks in `timeZone` show `w`.
 * A wall time that happens twice (the repeated hour in October) or not at all (the skipped hour in March)
 * resolves to the earlier or the later candidate, as the caller asks: purge code asks for the later one,
 * so that footage is never taken for older than it is.
 */
export function zonedToInstant(w: WallTime, timeZone: string, resolve: Resolve): number {
  const naive = wallToNaiveMs(w);
  if (timeZone === 'UTC') return naive;
  const before = offsetAt(naive - 86_400_000, timeZone);
  const after = offsetAt(naive + 86_400_000, timeZone);
  const candidates = new Set<number>();
  for (const offset of [before, after, offsetAt(naive, timeZone)]) {
    const t = naive - offset;
    if (offsetAt(t, timeZone) === offset) candidates.add(t);
  }
  const valid = [...candidates].sort((x, y) => x - y);
  if (valid.length > 0) return resolve === 'earlier' ? valid[0]! : valid[valid.length - 1]!;
  // In the gap: no instant shows this wall time. Read it with the offset before or after the change.
  const small = Math.min(before, after);
  const large = Math.max(before, after);
  return resolve === 'later' ? naive - small : naive - large;
}

/** Days in a month (1–12) of a year, Gregorian. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2026-10-25T02:30:00+01:00`: the instant as the school's clocks showed it, with the offset. */
export function formatZoned(ms: number, timeZone: string): string {
  const w = wallTimeAt(ms, timeZone);
  const offsetMin = Math.round(offsetAt(ms, timeZone) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const zone = offsetMin === 0 && timeZone === 'UTC' ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${zone}`;
}

/** `2026-10-25 02:30`: short local form for tables. */
export function formatLocalShort(ms: number, timeZone: string, withSeconds = false): string {
  const w = wallTimeAt(ms, timeZone);
  const base = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
  return withSeconds ? `${base}:${pad(w.second)}` : base;
}

/** ISO 8601 in UTC without milliseconds: `2026-10-25T01:30:00Z`. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
