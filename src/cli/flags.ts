// Flag values that need the school's time zone to mean anything.
import { UsageError } from '../core/errors.js';
import { parseInstant } from '../core/time/index.js';

export function instantFlag(name: string, value: string | undefined, timeZone: string, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = parseInstant(value, timeZone);
  if (ms === undefined) throw new UsageError(`flag.${name}`, `--${name} "${value}" is not a date or time; use ISO 8601, e.g. 2026-10-20T08:00 (school time) or 2026-10-20T06:00Z.`);
  return ms;
}
