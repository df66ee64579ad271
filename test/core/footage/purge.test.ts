import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { purgeFootage } from '../../../src/core/footage/index.js';
import { addHold, releaseHold } from '../../../src/core/footage/index.js';
import { DAY, HOUR, every, frigatePath, listFiles, makeSchool, synologyPath, tempDir, writeFiles, type SchoolFixture } from '../../helpers/school.js';

const utc = (iso: string): number => Date.parse(iso);
const NOW = utc('2026-11-26T12:00:00Z');

let school: SchoolFixture | undefined;
const extraCleanups: (() => void)[] = [];
afterEach(() => {
  school?.cleanup();
  school = undefined;
  for (const c of extraCleanups.splice(0)) c();
});

async function frigateSchool(cameras: Record<string, unknown>[] = [{ id: 'entree', category: 'surveillance', storage: 'nas1' }], retention: Record<string, string> = {}) {
  school = await makeSchool({
    school: { name: 'Testschool' },
    storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
    cameras,
    retention,
  });
  mkdirSync(path.join(school.dir, 'footage'), { recursive: true });
  return { s: school, root: path.join(school.dir, 'footage') };
}

describe('purge by retention', () => {
  it('deletes exactly the segments that ended before now minus 28 days', async () => {
    const { s, root } = await frigateSchool();
    const cutoff = NOW - 28 * DAY;
    // Segments every 10 s around the cut-off; the one ending at the cut-off stays.
    const starts = every(cutoff - 60_000, cutoff + 60_000, 10_000);
    writeFiles(root, starts.map((t) => frigatePath('entree', t)));
    const report = await purgeFootage(s.config, s.register(), { now: NOW });
    const expected = starts.filter((t) => t + 10_000 < cutoff).map((t) => frigatePath('entree', t));
    expect(report.deleted.files).toBe(expected.length);
    expect(listFiles(root)).toEqual(starts.filter((t) => t + 10_000 >= cutoff).map((t) => frigatePath('entree', t)).sort());
    expect(report.byCamera.entree).toMatchObject({ deleted: expected.length, kept: starts.length - expected.length, held: 0 });
  });

  it('applies each camera its category: surveillance 28 d, livestream 14 d, online lesson 10 months, media the school year, coaching as set', async () => {
    const { s, root } = await frigateSchool(
      [
        { id: 'gang', category: 'surveillance', storage: 'nas1' },
        { id: 'aula-stream', category: 'livestream', storage: 'nas1' },
        { id: 'lokaal12', category: 'online-lesson', storage: 'nas1' },
        { id: 'foto', category: 'media', storage: 'nas1' },
        { id: 'coach', category: 'coaching', storage: 'nas1' },
        { id: 'coach2', category: 'coaching', storage: 'nas1', retention: 'P7D' },
      ],
      {},
    );
    const ages = [3, 10, 20, 40, 120, 200, 320];
    for (const cam of ['gang', 'aula-stream', 'lokaal12', 'foto', 'coach', 'coach2']) writeFiles(root, ages.map((d) => frigatePath(cam, NOW - d * DAY)));
    const report = await purgeFootage(s.config, s.register(), { now: NOW });
    const left = (cam: string): number[] => ages.filter((d) => existsSync(path.join(root, frigatePath(cam, NOW - d * DAY))));
    expect(left('gang')).toEqual([3, 10, 20]);
    expect(left('aula-stream')).toEqual([3, 10]);
    expect(left('lokaal12')).toEqual([3, 10, 20, 40, 120, 200]);
    // The school year began on 1 August: 120 days back is 29 July, in the previous school year.
    expect(left('foto')).toEqual([3, 10, 20, 40]);
    expect(left('coach')).toEqual(ages); // no period set: nothing can be decided
    expect(left('coach2')).toEqual([3]);
    expect(report.byCamera.coach!.rule).toMatch(/kept until a retention period is set/);
  });

  it('deletes a covert camera\'s footage once its authorised period has ended, and not before', async () => {
    const { s, root } = await frigateSchool([
      { id: 'kluis', category: 'covert', storage: 'nas1', authorisation: { decision: 'CvB 2026-11', from: '2026-11-01', until: '2026-11-30' } },
    ]);
    writeFiles(root, [frigatePath('kluis', NOW - 5 * DAY), frigatePath('kluis', NOW - 20 * DAY)]);
    await purgeFootage(s.config, s.register(), { now: NOW });
    expect(listFiles(root)).toHaveLength(2);
    await purgeFootage(s.config, s.register(), { now: utc('2026-12-01T00:00:00Z') });
    expect(listFiles(root)).toHaveLength(0);
  });
});

describe('holds', () => {
  it('keeps segments that overlap a hold, including ones touching its edges, and deletes them once released', async () => {
    const { s, root } = await frigateSchool();
    const base = utc('2026-10-01T08:00:00Z'); // far past the cut-off
    const starts = every(base, base + 120_000, 10_000); // 12 segments of 10 s
    writeFiles(root, starts.map((t) => frigatePath('entree', t)));
    const reg = s.register();
    // Hold 08:00:30–08:01:00 UTC: segments [08:00:20–30] and [08:01:00–10] touch its edges.
    const hold = await addHold(s.config, reg, { cameras: ['entree'], from: '2026-10-01T08:00:30Z', to: '2026-10-01T08:01:00Z', caseRef: 'I-1', reason: 'diefstal' });
    const report = await purgeFootage(s.config, reg, { now: NOW });
    const kept = starts.filter((t) => t + 10_000 >= base + 30_000 && t <= base + 60_000);
    expect(listFiles(root)).toEqual(kept.map((t) => frigatePath('entree', t)).sort());
    expect(report.held).toEqual({ files: kept.length, byHold: { [hold.id]: kept.length } });

    await releaseHold(reg, hold.id, 'zaak gesloten');
    const after = await purgeFootage(s.config, reg, { now: NOW });
    expect(after.deleted.files).toBe(kept.length);
    expect(listFiles(root)).toEqual([]);
  });

  it('holds only the cameras it names', async () => {
    const { s, root } = await frigateSchool([
      { id: 'a', category: 'surveillance', storage: 'nas1' },
      { id: 'b', category: 'surveillance', storage: 'nas1' },
    ]);
    const t = utc('2026-10-01T08:00:00Z');
    writeFiles(root, [frigatePath('a', t), frigatePath('b', t)]);
    const reg = s.register();
    await addHold(s.config, reg, { cameras: ['a'], from: '2026-10-01T07:00Z', to: '2026-10-01T09:00Z', caseRef: 'I-2', reason: 'x' });
    await purgeFootage(s.config, reg, { now: NOW });
    expect(listFiles(root)).toEqual([frigatePath('a', t)]);
  });
});

describe('files the purge must never touch', () => {
  it('leaves files outside the layout and of unknown cameras, and reports them', async () => {
    const { s, root } = await frigateSchool();
    const old = NOW - 60 * DAY;
    writeFiles(root, [frigatePath('entree', old), frigatePath('onbekend', old), 'notes.txt', `${frigatePath('entree', old)}.tmp`, '2026-10-01/08/entree/weird name.mp4']);
    const report = await purgeFootage(s.config, s.register(), { now: NOW });
    expect(report.deleted.files).toBe(1);
    expect(report.unknown.files).toBe(4);
    expect(report.unknown.byReason).toEqual({ 'unknown-camera': 1, 'no-layout-match': 3 });
    expect(listFiles(root)).toHaveLength(4);
  });

  it('never follows a symlink out of the root, neither to a file nor to a folder', async () => {
    const { s, root } = await frigateSchool();
    const outside = tempDir('toezicht-outside-');
    extraCleanups.push(outside.cleanup);
    const old = NOW - 60 * DAY;
    // Outside the root: a tree that looks exactly like expired footage.
    writeFiles(outside.dir, [frigatePath('entree', old), frigatePath('entree', old + 10_000)]);
    writeFiles(root, [frigatePath('entree', old + 20_000)]);
    const linkedFile = path.join(root, frigatePath('entree', old + 30_000));
    symlinkSync(path.join(outside.dir, frigatePath('entree', old)), linkedFile);
    symlinkSync(path.join(outside.dir, frigatePath('entree', old).split('/')[0]!), path.join(root, '2026-09-01'));
    const report = await purgeFootage(s.config, s.register(), { now: NOW });
    expect(report.deleted.files).toBe(1);
    expect(listFiles(outside.dir)).toHaveLength(2);
    expect(existsSync(linkedFile)).toBe(true); // existsSync follows the link: its target is still there…
    expect(readdirSync(path.dirname(linkedFile))).toContain(path.basename(linkedFile)); // …and the link itself stays
    expect(report.unknown.byReason.symlink).toBe(2);
  });

  it('removes the folders it emptied, but not the root nor folders it did not empty', async () => {
    const { s, root } = await frigateSchool();
    writeFiles(root, [frigatePath('entree', utc('2026-09-01T08:00:00Z')), frigatePath('entree', NOW - HOUR)]);
    mkdirSync(path.join(root, 'lege-map'));
    await purgeFootage(s.config, s.register(), { now: NOW });
    expect(existsSync(path.join(root, '2026-09-01'))).toBe(false);
    expect(existsSync(path.join(root, 'lege-map'))).toBe(true);
    expect(existsSync(root)).toBe(true);
  });
});

describe('dry run and check', () => {
  it('plans exactly what the real run then does, deleting nothing', async () => {
    const { s, root } = await frigateSchool();
    const starts = every(NOW - 30 * DAY, NOW - 26 * DAY, 2 * HOUR);
    writeFiles(root, starts.map((t) => frigatePath('entree', t)));
    const reg = s.register();
    await addHold(s.config, reg, { cameras: ['entree'], from: new Date(NOW - 29 * DAY).toISOString(), to: new Date(NOW - 29 * DAY + 3 * HOUR).toISOString(), caseRef: 'I', reason: 'r' });
    const before = listFiles(root);
    const dry = await purgeFootage(s.config, reg, { now: NOW, dryRun: true, list: true });
    expect(listFiles(root)).toEqual(before);
    expect(dry.runId).toBeNull();
    const check = await purgeFootage(s.config, reg, { now: NOW, check: true });
    expect(listFiles(root)).toEqual(before);
    expect(check.deleted.files).toBe(dry.deleted.files);
    const real = await purgeFootage(s.config, reg, { now: NOW, list: true });
    expect(real.files).toEqual(dry.files);
    expect({ ...real.byCamera.entree, deletedBytes: 0 }).toEqual(dry.byCamera.entree);
  });
});

describe('deletion records', () => {
  it('tells for every deleted file which run deleted it', async () => {
    const { s, root } = await frigateSchool();
    const t = utc('2026-09-01T08:00:00Z');
    writeFiles(root, [frigatePath('entree', t)]);
    const reg = s.register();
    const report = await purgeFootage(s.config, reg, { now: NOW });
    expect(await reg.findDeletion('nas1', frigatePath('entree', t))).toMatchObject({ runId: report.runId, camera: 'entree' });
    expect(await reg.findDeletion('nas1', frigatePath('entree', t + 10_000))).toBeUndefined();
    expect((await reg.verifyAudit()).ok).toBe(true);
  });

  it('settles a run that died between recording its plan and finishing: gone files are recorded, the rest decided again', async () => {
    const { s, root } = await frigateSchool();
    const starts = every(utc('2026-09-01T08:00:00Z'), utc('2026-09-01T08:01:00Z'), 10_000);
    writeFiles(root, starts.map((t) => frigatePath('entree', t)));
    const reg = s.register();
    // What a killed run leaves: a running run, a planned batch, and only some of its files deleted.
    const runId = await reg.beginPurgeRun({ now: NOW, options: {} });
    const names = starts.map((t) => path.posix.basename(frigatePath('entree', t)));
    const dir = path.posix.dirname(frigatePath('entree', starts[0]!));
    await reg.planBatch(runId, { storage: 'nas1', dir, camera: 'entree', names, bytes: 0, firstStart: starts[0]!, lastEnd: starts.at(-1)! + 10_000 }, await reg.holdsVersion());
    rmSync(path.join(root, dir, names[0]!));
    rmSync(path.join(root, dir, names[1]!));

    const report = await purgeFootage(s.config, reg, { now: NOW });
    expect(report.interruptedRuns).toEqual([{ runId, startedAt: expect.any(String), deleted: 2, left: 4 }]);
    expect(report.deleted.files).toBe(4);
    expect(listFiles(root)).toEqual([]);
    expect(await reg.findDeletion('nas1', `${dir}/${names[0]}`)).toMatchObject({ runId });
    expect(await reg.findDeletion('nas1', `${dir}/${names[5]}`)).toMatchObject({ runId: report.runId });
    const audit = await reg.auditEntries({ action: 'purge' });
    expect(audit.map((e) => e.action)).toEqual(['purge.interrupted', 'purge.run']);
    expect((await reg.verifyAudit()).ok).toBe(true);
  });
});

describe('refusals: nothing is deleted when the ground looks wrong', () => {
  it('refuses when a storage root is missing', async () => {
    const { s, root } = await frigateSchool();
    rmSync(root, { recursive: true });
    await expect(purgeFootage(s.config, s.register(), { now: NOW })).rejects.toMatchObject({ exitCode: 2, details: [expect.stringMatching(/does not exist \(is the share mounted\?\)/)] });
  });

  it('refuses when a root is empty where the last run found footage (an unmounted share), and deletes nothing elsewhere', async () => {
    school = await makeSchool({
      school: { name: 'Testschool' },
      storage: [
        { id: 'nas1', type: 'fs', root: './a', layout: 'frigate' },
        { id: 'nas2', type: 'fs', root: './b', layout: 'frigate' },
      ],
      cameras: [
        { id: 'x', category: 'surveillance', storage: 'nas1' },
        { id: 'y', category: 'surveillance', storage: 'nas2' },
      ],
    });
    const a = path.join(school.dir, 'a');
    const b = path.join(school.dir, 'b');
    writeFiles(a, [frigatePath('x', NOW - HOUR)]);
    writeFiles(b, [frigatePath('y', NOW - HOUR)]);
    const reg = school.register();
    await purgeFootage(school.config, reg, { now: NOW });
    // The share behind nas1 is "unmounted": its mount point is an empty folder.
    rmSync(a, { recursive: true });
    mkdirSync(a);
    writeFiles(b, [frigatePath('y', NOW - 40 * DAY)]);
    await expect(purgeFootage(school.config, reg, { now: NOW })).rejects.toThrow(/deleted nothing/);
    expect(listFiles(b)).toHaveLength(2);
  });

  it('refuses when the layout matches none of the files in a tree that has files', async () => {
    const { s, root } = await frigateSchool();
    writeFiles(root, [synologyPath('entree', NOW - 40 * DAY), synologyPath('entree', NOW - 41 * DAY)]);
    await expect(purgeFootage(s.config, s.register(), { now: NOW })).rejects.toMatchObject({ details: [expect.stringMatching(/none of the 2 files .* match the frigate layout/)] });
    expect(listFiles(root)).toHaveLength(2);
  });

  it('is content with an empty root on the first run', async () => {
    const { s } = await frigateSchool();
    const report = await purgeFootage(s.config, s.register(), { now: NOW });
    expect(report.deleted.files).toBe(0);
  });
});

describe('synology and pattern storages', () => {
  it('purges a Synology tree across the October change by its Unix times', async () => {
    school = await makeSchool({
      school: { name: 'Testschool' },
      storage: [{ id: 'syno', type: 'fs', root: './syno', layout: 'synology', segmentSeconds: 1800 }],
      cameras: [{ id: 'gang', path: 'Gang', category: 'surveillance', storage: 'syno' }],
    });
    const root = path.join(school.dir, 'syno');
    // Half-hour recordings through the night of 25 October (02:00–03:00 local happens twice).
    const starts = every(utc('2026-10-24T22:00:00Z'), utc('2026-10-25T04:00:00Z'), 30 * 60_000);
    writeFiles(root, starts.map((t) => synologyPath('Gang', t)));
    expect(new Set(starts.map((t) => synologyPath('Gang', t))).size).toBe(starts.length);
    // 28 days before 22 November 02:30 CET is "25 October 02:30", which happened twice (00:30Z and 01:30Z);
    // 28 × 24 h back is 01:30Z. The cut-off takes the earliest reading, 00:30Z, so nothing goes early.
    const now = utc('2026-11-22T01:30:00Z');
    const report = await purgeFootage(school.config, school.register(), { now });
    expect(report.byCamera.gang!.cutoff).toBe('2026-10-25T00:30:00Z');
    expect(listFiles(root)).toEqual(starts.filter((t) => t >= utc('2026-10-25T00:00:00Z')).map((t) => synologyPath('Gang', t)).sort());
  });

  it('purges a pattern tree in school time across the March change, never early', async () => {
    school = await makeSchool({
      school: { name: 'Testschool' },
      storage: [{ id: 'nas2', type: 'fs', root: './other', layout: 'pattern', pattern: '{camera}/{YYYY}{MM}{DD}/{HH}{mm}{ss}.mp4', segmentSeconds: 600 }],
      cameras: [{ id: 'fietsen', category: 'livestream', storage: 'nas2' }],
    });
    const root = path.join(school.dir, 'other');
    // Local names every 10 minutes through the night of 29 March 2026 (02:00–03:00 does not exist).
    const names: string[] = [];
    for (let h = 0; h < 5; h++) for (let m = 0; m < 60; m += 10) if (h !== 2) names.push(`fietsen/20260329/${String(h).padStart(2, '0')}${String(m).padStart(2, '0')}00.mp4`);
    writeFiles(root, names);
    // Livestream: 14 days. Now is 12 April 03:05 CEST (01:05Z): 14 days back is 29 March 03:05 CEST = 01:05Z,
    // while 14 × 24 h back is also 01:05Z. The 01:50 CET file (00:50Z–01:00Z) goes; 03:00 CEST (01:00Z–01:10Z) stays.
    await purgeFootage(school.config, school.register(), { now: utc('2026-04-12T01:05:00Z') });
    const left = listFiles(root);
    expect(left[0]).toBe('fietsen/20260329/030000.mp4');
    expect(left).toHaveLength(12);
  });
});
