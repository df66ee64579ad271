import { describe, expect, it } from 'vitest';
import { compilePattern, layoutParser } from '../../../src/core/storage/index.js';

const AMS = 'Europe/Amsterdam';
const utc = (iso: string): number => Date.parse(iso);

describe('frigate layout (UTC)', () => {
  const parse = layoutParser({ layout: 'frigate', timeZone: 'UTC' });

  it('reads camera and start from YYYY-MM-DD/HH/<camera>/MM.SS.mp4, 10 s long', () => {
    expect(parse('2026-10-20/08/entree/15.30.mp4')).toEqual({ camera: 'entree', start: utc('2026-10-20T08:15:30Z'), end: utc('2026-10-20T08:15:40Z') });
  });

  it('is continuous over both summer-time changes, being UTC', () => {
    // 25 October 2026: Amsterdam's clocks go back at 01:00 UTC; the UTC folders just go on.
    expect(parse('2026-10-25/00/gang/59.50.mp4')!.end).toBe(parse('2026-10-25/01/gang/00.00.mp4')!.start);
    expect(parse('2026-03-29/00/gang/59.50.mp4')!.end).toBe(parse('2026-03-29/01/gang/00.00.mp4')!.start);
  });

  it('rejects what Frigate does not write', () => {
    for (const p of ['2026-10-20/08/entree/15.30.mkv', '2026-10-20/08/15.30.mp4', '2026-13-01/08/entree/00.00.mp4', '2026-04-31/08/entree/00.00.mp4',
      '2026-10-20/24/entree/00.00.mp4', '2026-10-20/08/entree/61.00.mp4', 'entree/2026-10-20/08/00.00.mp4', '2026-10-20/08/entree/sub/00.00.mp4']) {
      expect(parse(p), p).toBeUndefined();
    }
  });
});

describe('synology layout (local time, Unix time decides)', () => {
  const parse = layoutParser({ layout: 'synology', timeZone: AMS });

  it('reads folder per camera and half day, local time and trailing Unix time', () => {
    const unix = utc('2026-10-20T06:30:15Z') / 1000;
    expect(parse(`Entree/20261020AM/Entree-20261020-083015-${unix}.mp4`)).toEqual({
      camera: 'Entree',
      start: utc('2026-10-20T06:30:15Z'),
      end: utc('2026-10-20T06:31:15Z'),
    });
  });

  it('uses the Unix time in the repeated hour of October: both 02:30 recordings get their own instant', () => {
    const first = utc('2026-10-25T00:30:00Z'); // 02:30 CEST
    const second = utc('2026-10-25T01:30:00Z'); // 02:30 CET
    expect(parse(`Gang/20261025AM/Gang-20261025-023000-${first / 1000}.mp4`)!.start).toBe(first);
    expect(parse(`Gang/20261025AM/Gang-20261025-023000-${second / 1000}.mp4`)!.start).toBe(second);
  });

  it('without a Unix time takes the later instant of the repeated hour, so nothing is deleted early', () => {
    expect(parse('Gang/20261025AM/Gang-20261025-023000.mp4')!.start).toBe(utc('2026-10-25T01:30:00Z'));
  });

  it('reads the spring change: 01:59 CET and 03:00 CEST are a minute apart', () => {
    const before = parse('Gang/20260329AM/Gang-20260329-015900.mp4')!;
    const after = parse('Gang/20260329AM/Gang-20260329-030000.mp4')!;
    expect(after.start - before.start).toBe(60_000);
    // 02:30 does not exist that night; a file named so is read as late as possible.
    expect(parse('Gang/20260329AM/Gang-20260329-023000.mp4')!.start).toBe(utc('2026-03-29T01:30:00Z'));
  });

  it('refuses names it cannot attribute for sure', () => {
    const unix = utc('2026-10-20T06:30:15Z') / 1000;
    expect(parse(`Entree/20261020PM/Entree-20261020-083015-${unix}.mp4`)).toBeUndefined(); // AM file in PM folder
    expect(parse(`Entree/20261020AM/Aula-20261020-083015-${unix}.mp4`)).toBeUndefined(); // other camera
    expect(parse(`Entree/20261021AM/Entree-20261020-083015-${unix}.mp4`)).toBeUndefined(); // other day
    expect(parse(`Entree/20261020AM/Entree-20261020-083015-${unix + 5 * 86400}.mp4`)).toBeUndefined(); // Unix time days off
  });

  it('keeps camera names with hyphens', () => {
    expect(parse('Hal-Noord/20261020PM/Hal-Noord-20261020-140000.mp4')!.camera).toBe('Hal-Noord');
  });
});

describe('pattern layout', () => {
  it('reads tokens in school time, and in UTC when the storage says so', () => {
    const local = layoutParser({ layout: 'pattern', pattern: '{camera}/{YYYY}{MM}{DD}/{HH}{mm}{ss}.mp4', timeZone: AMS, segmentSeconds: 600 });
    expect(local('aula/20261020/083000.mp4')).toEqual({ camera: 'aula', start: utc('2026-10-20T06:30:00Z'), end: utc('2026-10-20T06:40:00Z') });
    const inUtc = layoutParser({ layout: 'pattern', pattern: '{camera}/{YYYY}{MM}{DD}/{HH}{mm}{ss}.mp4', timeZone: 'UTC', segmentSeconds: 600 });
    expect(inUtc('aula/20261020/083000.mp4')!.start).toBe(utc('2026-10-20T08:30:00Z'));
  });

  it('takes the later instant in the repeated October hour and the later reading of the skipped March hour', () => {
    const p = layoutParser({ layout: 'pattern', pattern: '{camera}/{YYYY}-{MM}-{DD}_{HH}-{mm}-{ss}.mp4', timeZone: AMS });
    expect(p('gang/2026-10-25_02-15-00.mp4')!.start).toBe(utc('2026-10-25T01:15:00Z'));
    expect(p('gang/2026-03-29_02-15-00.mp4')!.start).toBe(utc('2026-03-29T01:15:00Z'));
    expect(p('gang/2026-03-29_03-00-00.mp4')!.start).toBe(utc('2026-03-29T01:00:00Z'));
  });

  it('counts a coarse name into the end: a file named by the minute may start 59 s later', () => {
    const p = layoutParser({ layout: 'pattern', pattern: '{camera}/{YYYY}{MM}{DD}{HH}{mm}.mp4', timeZone: 'UTC', segmentSeconds: 60 });
    const s = p('gang/202610200830.mp4')!;
    expect(s.end - s.start).toBe(119_000);
  });

  it('explains what is wrong with a pattern', () => {
    expect(compilePattern('{camera}/{YYYY}{MM}/{HH}.mp4')).toMatch(/needs \{DD\}/);
    expect(compilePattern('{camera}/{YYYY}{MM}{DD}{hh}.mp4')).toMatch(/unknown token \{hh\}/);
    expect(compilePattern('/srv/{camera}/{YYYY}{MM}{DD}.mp4')).toMatch(/relative/);
    expect(compilePattern('{camera}/{YYYY}{MM}{DD}/{ss}.mp4')).toMatch(/needs \{mm\}/);
  });

  it('does not match files outside the pattern, nor names with extra folders', () => {
    const p = layoutParser({ layout: 'pattern', pattern: '{camera}/{YYYY}{MM}{DD}/{HH}{mm}{ss}.mp4', timeZone: AMS });
    expect(p('aula/20261020/083000.mkv')).toBeUndefined();
    expect(p('aula/x/20261020/083000.mp4')).toBeUndefined();
    expect(p('aula/20261032/083000.mp4')).toBeUndefined();
  });
});
