import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { exportFootage } from '../../../src/core/evidence/index.js';
import { resolveTool, runTool } from '../../../src/core/media/index.js';
import { exportSchool } from '../../helpers/export-school.js';
import { makeStream, removeStreams, placeFrigate } from '../../helpers/footage.js';
import type { SchoolFixture } from '../../helpers/school.js';


afterAll(removeStreams);
const utc = (iso: string): number => Date.parse(iso);
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

let school: SchoolFixture | undefined;
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

async function streams(file: string): Promise<string[]> {
  const { stdout } = await runTool(resolveTool('ffprobe'), ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', file]);
  return stdout.trim().split('\n');
}

describe('exportFootage', () => {
  it('cuts a stream with B-frames at keyframes, with the planned frames and the right hash', async () => {
    school = await exportSchool();
    const root = path.join(school.dir, 'recordings');
    const placed = placeFrigate(root, 'entree', utc('2026-10-20T06:00:00Z'), await makeStream({ seconds: 30, segmentSeconds: 10, bframes: true }), 10);
    // ffprobe's keyframe times: the clip must start at the last one shown at or before 5 s into the first segment.
    const { stdout } = await runTool(resolveTool('ffprobe'), ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', path.join(root, placed[0]!)]);
    const keyTimes = stdout.trim().split('\n').filter((l) => l.endsWith('K__')).map((l) => Number(l.split(',')[0]));
    const startKey = Math.max(...keyTimes.filter((t) => t <= 5));
    expect(startKey).toBeLessThan(5);
    const register = school.register();
    const r = await exportFootage(school.config, register, { cameras: ['entree'], from: '2026-10-20T06:00:05Z', to: '2026-10-20T06:00:25Z', hold: false }, { now: Date.now(), toolVersion: 'test' });
    expect(Date.parse(r.manifest.covered.from)).toBe(utc('2026-10-20T06:00:00Z') + Math.round(startKey * 1000));
    expect(Date.parse(r.manifest.covered.to)).toBeGreaterThan(utc('2026-10-20T06:00:25Z'));
    expect(Date.parse(r.manifest.covered.to)).toBeLessThanOrEqual(utc('2026-10-20T06:00:27Z'));
    // Every frame of the three GOPs-aligned parts, at 10 fps; the clip's length agrees with the wall-clock span up to
    // the path times' own resolution (the first segment's frames start 0.2 s late: x264's B-frame delay).
    const span = (Date.parse(r.manifest.covered.to) - Date.parse(r.manifest.covered.from)) / 1000;
    expect(r.manifest.output!.durationSeconds).toBe(r.manifest.output!.frames / 10);
    expect(Math.abs(r.manifest.output!.durationSeconds - span)).toBeLessThanOrEqual(0.5);
    expect(r.manifest.clips[0]!.notes).toEqual([]);
    const clip = path.join(r.packageDir, r.manifest.output!.file);
    expect(r.manifest.output!.sha256).toBe(sha256(clip));
    // The clip is hashed while ffmpeg writes it when that works out, else read back: the hash is right either way.
    expect(r.stats).toMatchObject({ clips: 1, segments: 3 });
  });

  it('keeps the audio track only when asked', async () => {
    school = await exportSchool();
    placeFrigate(path.join(school.dir, 'recordings'), 'entree', utc('2026-10-20T06:00:00Z'), await makeStream({ seconds: 30, segmentSeconds: 10, audio: true }), 10);
    const register = school.register();
    const request = { cameras: ['entree'], from: '2026-10-20T06:00:12Z', to: '2026-10-20T06:00:18Z', hold: false };
    const without = await exportFootage(school.config, register, request, { now: Date.now(), toolVersion: 'test' });
    expect(await streams(path.join(without.packageDir, without.manifest.output!.file))).toEqual(['video']);
    const withAudio = await exportFootage(school.config, register, { ...request, keepAudio: true }, { now: Date.now(), toolVersion: 'test' });
    expect(await streams(path.join(withAudio.packageDir, withAudio.manifest.output!.file))).toEqual(['video', 'audio']);
    expect(withAudio.manifest.output!.audio).toBe(true);
    expect(withAudio.manifest.output!.sha256).toBe(sha256(path.join(withAudio.packageDir, withAudio.manifest.output!.file)));
    expect(readFileSync(path.join(withAudio.packageDir, 'proces-verbaal.txt'), 'utf8')).toContain('Het geluid is meegenomen.');
  });

  it('the same footage exported twice gives the same clip, byte for byte (every step repeatable)', async () => {
    school = await exportSchool();
    placeFrigate(path.join(school.dir, 'recordings'), 'entree', utc('2026-10-20T06:00:00Z'), await makeStream({ seconds: 20, segmentSeconds: 10 }), 10);
    const register = school.register();
    const request = { cameras: ['entree'], from: '2026-10-20T06:00:03Z', to: '2026-10-20T06:00:17Z', hold: false };
    const a = await exportFootage(school.config, register, request, { now: Date.now(), toolVersion: 'test' });
    const b = await exportFootage(school.config, register, request, { now: Date.now(), toolVersion: 'test' });
    expect(b.exportId).not.toBe(a.exportId);
    expect(b.manifest.output!.sha256).toBe(a.manifest.output!.sha256);
  });
});
