import { describe, expect, it } from 'vitest';
import { parseDuration, parseInstant, schoolYearStart, subtractDuration, zonedToInstant } from '../../../src/core/time/index.js';

const AMS = 'Europe/Amsterdam';
const utc = (iso: string): number => Date.parse(iso);

describe('local time in Europe/Amsterdam', () => {
  it('reads an ordinary winter and summer time', () => {
    expect(zonedToInstant({ year: 2026, month: 1, day: 15, hour: 12, minute: 0, second: 0 }, AMS, 'later')).toBe(utc('2026-01-15T11:00:00Z'));
    expect(zonedToInstant({ year: 2026, month: 7, day: 15, hour: 12, minute: 0, second: 0 }, AMS, 'later')).toBe(utc('2026-07-15T10:00:00Z'));
  });

  it('resolves the repeated hour of 25 October 2026 to the earlier or the later instant, as asked', () => {
    const wall = { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 };
    expect(zonedToInstant(wall, AMS, 'earlier')).toBe(utc('2026-10-25T00:30:00Z')); // 02:30 CEST
    expect(zonedToInstant(wall, AMS, 'later')).toBe(utc('2026-10-25T01:30:00Z')); // 02:30 CET
  });

  it('resolves the skipped hour of 29 March 2026 (02:30 does not exist) to the later reading when asked', () => {
    const wall = { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 };
    expect(zonedToInstant(wall, AMS, 'later')).toBe(utc('2026-03-29T01:30:00Z'));
    expect(zonedToInstant(wall, AMS, 'earlier')).toBe(utc('2026-03-29T00:30:00Z'));
  });
});

describe('parseInstant', () => {
  it('takes times without an offset as school time and with Z or an offset as given', () => {
    expect(parseInstant('2026-10-20T08:00', AMS)).toBe(utc('2026-10-20T06:00:00Z'));
    expect(parseInstant('2026-10-20 08:00:30', AMS)).toBe(utc('2026-10-20T06:00:30Z'));
    expect(parseInstant('2026-10-20T08:00Z', AMS)).toBe(utc('2026-10-20T08:00:00Z'));
    expect(parseInstant('2026-10-20T08:00+01:00', AMS)).toBe(utc('2026-10-20T07:00:00Z'));
  });

  it('reads a date alone as the start of that day, or the start of the next for the end of a range', () => {
    expect(parseInstant('2026-10-20', AMS)).toBe(utc('2026-10-19T22:00:00Z'));
    expect(parseInstant('2026-10-24', AMS, { dateOnly: 'end' })).toBe(utc('2026-10-24T22:00:00Z')); // still summer time
    expect(parseInstant('2026-10-25', AMS, { dateOnly: 'end' })).toBe(utc('2026-10-25T23:00:00Z')); // the 25-hour day ends in winter time
  });

  it('rejects days and times that do not exist', () => {
    expect(parseInstant('2026-02-30', AMS)).toBeUndefined();
    expect(parseInstant('2026-10-20T25:00', AMS)).toBeUndefined();
    expect(parseInstant('20 oktober', AMS)).toBeUndefined();
  });
});

describe('durations', () => {
  it('parses ISO 8601 durations and rejects anything else', () => {
    expect(parseDuration('P28D')).toMatchObject({ days: 28 });
    expect(parseDuration('P4W')).toMatchObject({ weeks: 4 });
    expect(parseDuration('P10M')).toMatchObject({ months: 10 });
    expect(parseDuration('PT72H')).toMatchObject({ hours: 72 });
    for (const bad of ['28 days', 'P', 'PT', '28D', 'P1.5D', '']) expect(parseDuration(bad)).toBeUndefined();
  });

  it('never yields a cut-off later than either reading of days across the October change (25 h day)', () => {
    const now = utc('2026-11-10T12:00:00Z');
    const cutoff = subtractDuration(now, parseDuration('P28D')!, AMS);
    // Calendar reading: 13 October 13:00 CEST = 11:00Z; 24-hour reading: 13 October 12:00Z. The earlier wins.
    expect(cutoff).toBe(utc('2026-10-13T11:00:00Z'));
  });

  it('subtracts months on the calendar, clamping to the end of a shorter month', () => {
    const now = utc('2026-03-31T10:00:00Z'); // 12:00 CEST
    expect(subtractDuration(now, parseDuration('P1M')!, AMS)).toBe(utc('2026-02-28T11:00:00Z')); // 12:00 CET
  });

  it('finds the start of the school year (1 August, local midnight)', () => {
    expect(schoolYearStart(utc('2026-11-26T12:00:00Z'), AMS)).toBe(utc('2026-07-31T22:00:00Z'));
    expect(schoolYearStart(utc('2027-07-31T21:59:59Z'), AMS)).toBe(utc('2026-07-31T22:00:00Z'));
    expect(schoolYearStart(utc('2027-07-31T22:00:00Z'), AMS)).toBe(utc('2027-07-31T22:00:00Z'));
  });
});
