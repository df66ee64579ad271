// Flag values that need the school's time zone to mean anything.
import { UsageError } from '../core/errors.js';
import { parseDuration, parseInstant, subtractDuration } from '../core/time/index.js';

export function instantFlag(name: string, value: string | undefined, timeZone: string, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = parseInstant(value, timeZone);
  if (ms === undefined) throw new UsageError(`flag.${name}`, `--${name} "${value}" is not a date or time; use ISO 8601, e.g. 2026-10-20T08:00 (school time) or 2026-10-20T06:00Z.`);
  return ms;
}

/** `--since`: a moment (2026-09-01) or how long ago (P7D); undefined when not given. */
export function sinceFlag(value: string | undefined, timeZone: string, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const d = parseDuration(value);
  const ms = d ? subtractDuration(now, d, timeZone) : parseInstant(value, timeZone);
  if (ms === undefined) throw new UsageError('flag.since', `--since "${value}" is neither a date (2026-09-01) nor a duration (P7D).`);
  return ms;
}
