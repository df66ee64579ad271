import { describe, expect, it } from 'vitest';
import { retentionCutoff, retentionWarnings } from '../../../src/core/policy/retention.js';

const AMS = 'Europe/Amsterdam';
const utc = (iso: string): number => Date.parse(iso);
const NOW = utc('2026-11-26T12:00:00Z'); // 13:00 CET

describe('retention cut-off per category (defaults from the brief)', () => {
  it('surveillance: 28 days', () => {
    expect(retentionCutoff({ category: 'surveillance', setting: undefined, timeZone: AMS }, NOW).before).toBe(utc('2026-10-29T12:00:00Z'));
  });

  it('livestream: 14 days', () => {
    expect(retentionCutoff({ category: 'livestream', setting: undefined, timeZone: AMS }, NOW).before).toBe(utc('2026-11-12T12:00:00Z'));
  });

  it('online lesson: 10 months on the calendar (across the summer-time change the earlier reading)', () => {
    // 26 January 2026 13:00 CET.
    expect(retentionCutoff({ category: 'online-lesson', setting: undefined, timeZone: AMS }, NOW).before).toBe(utc('2026-01-26T12:00:00Z'));
  });

  it('media: until the end of the school year — everything made before 1 August goes, nothing after', () => {
    expect(retentionCutoff({ category: 'media', setting: undefined, timeZone: AMS }, NOW).before).toBe(utc('2026-07-31T22:00:00Z'));
    // A duration can only make it shorter, never past the school year.
    expect(retentionCutoff({ category: 'media', setting: 'P30D', timeZone: AMS }, NOW).before).toBe(utc('2026-10-27T12:00:00Z'));
    expect(retentionCutoff({ category: 'media', setting: 'P2Y', timeZone: AMS }, NOW).before).toBe(utc('2026-07-31T22:00:00Z'));
  });

  it('covert: kept within the authorised period, all of it past it', () => {
    const until = utc('2026-11-30T23:00:00Z');
    expect(retentionCutoff({ category: 'covert', setting: undefined, timeZone: AMS, authorisedUntil: until }, NOW).before).toBe(-Infinity);
    const later = utc('2026-12-01T00:00:00Z');
    expect(retentionCutoff({ category: 'covert', setting: undefined, timeZone: AMS, authorisedUntil: until }, later).before).toBe(later);
    // No end recorded: nothing can be decided, so nothing goes.
    expect(retentionCutoff({ category: 'covert', setting: undefined, timeZone: AMS }, later).before).toBe(-Infinity);
  });

  it('coaching: no default; kept until the school sets a period, then that period', () => {
    expect(retentionCutoff({ category: 'coaching', setting: undefined, timeZone: AMS }, NOW).before).toBe(-Infinity);
    expect(retentionCutoff({ category: 'coaching', setting: 'P7D', timeZone: AMS }, NOW).before).toBe(utc('2026-11-19T12:00:00Z'));
  });

  it('a camera without a purpose is held to the surveillance limit', () => {
    expect(retentionCutoff({ category: 'unassigned', setting: undefined, timeZone: AMS }, NOW).before).toBe(utc('2026-10-29T12:00:00Z'));
  });
});

describe('guideline warnings', () => {
  it('warns beyond the guideline and names the rule and its source', () => {
    const [w] = retentionWarnings('surveillance', 'P6W', 'retention.surveillance');
    expect(w!.rule).toBe('retention.surveillance.beyond-guideline');
    expect(w!.message).toMatch(/P6W.*beyond the guideline of P28D/);
    expect(w!.source).toMatch(/seed 001 §1\.4/);
    expect(retentionWarnings('surveillance', 'P1M', 'x')).toHaveLength(1);
    expect(retentionWarnings('livestream', 'P15D', 'x')).toHaveLength(1);
    expect(retentionWarnings('online-lesson', 'P1Y', 'x')).toHaveLength(1);
  });

  it('accepts the guideline itself and anything shorter', () => {
    for (const [c, s] of [['surveillance', 'P28D'], ['surveillance', 'P4W'], ['surveillance', 'PT72H'], ['livestream', 'P14D'], ['online-lesson', 'P10M'], ['media', 'school-year']] as const) {
      expect(retentionWarnings(c, s, 'x'), `${c} ${s}`).toEqual([]);
    }
  });

  it('asks for a coaching period when none is set', () => {
    expect(retentionWarnings('coaching', undefined, 'retention.coaching')[0]!.rule).toBe('retention.coaching.missing');
  });
});
