import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, truncateSync } from 'node:fs';
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

/** Presentation times (s) of a clip's video frames, in display order, as ffprobe reads them. */
async function frameTimes(file: string): Promise<number[]> {
  const { stdout } = await runTool(resolveTool('ffprobe'), ['-v', 'error', '-select_streams', 'v', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', file]);
  // ffprobe's csv writer puts an empty line among the frames of some streams.
  return stdout.split('\n').filter((l) => /^\d/.test(l)).map((l) => Number(l.split(',')[0])).sort((a, b) => a - b);
}

/** MD5 of every video packet, in decode order. */
async function packets(file: string): Promise<string[]> {
  const { stdout } = await runTool(resolveTool('ffmpeg'), ['-hide_banner', '-loglevel', 'error', '-i', file, '-map', '0:v', '-c', 'copy', '-f', 'framemd5', '-']);
  return stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').at(-1)!.trim());
}

describe('the clip toezicht writes itself', () => {
  it('plays every frame of a B-frame stream at its own time from 0, the frames byte for byte those of the segments', async () => {
    school = await exportSchool();
    const segments = await makeStream({ seconds: 30, segmentSeconds: 10, bframes: true });
    placeFrigate(path.join(school.dir, 'recordings'), 'entree', utc('2026-10-20T06:00:00Z'), segments, 10);
    const r = await exportFootage(school.config, school.register(), { cameras: ['entree'], from: '2026-10-20T06:00:00Z', to: '2026-10-20T06:00:30Z', hold: false }, { now: Date.now(), toolVersion: 'test' });
    expect(r.manifest.output!.writer).toBe('toezicht');
    expect(r.manifest.tool.ffmpeg).toBeUndefined();
    const clip = path.join(r.packageDir, r.manifest.output!.file);
    const times = await frameTimes(clip);
    expect(times).toHaveLength(300);
    times.forEach((t, i) => expect(t).toBeCloseTo(i / 10, 3));
    expect(await packets(clip)).toEqual((await Promise.all(segments.map(packets))).flat());
    // ffmpeg's own reading of the clip agrees with the manifest and the frames play as one stream.
    const { stdout } = await runTool(resolveTool('ffprobe'), ['-v', 'error', '-show_entries', 'format=duration:format_tags=creation_time', '-of', 'json', clip]);
    const format = JSON.parse(stdout).format;
    expect(Number(format.duration)).toBeCloseTo(30, 1);
    expect(format.tags.creation_time).toBe(r.manifest.output!.creationTime.replace(/\.\d+Z$/, '.000000Z'));
  });

  it('keeps a gap in the footage as a gap in the clip: clip time plus its start is wall time', async () => {
    school = await exportSchool();
    const segments = await makeStream({ seconds: 40, segmentSeconds: 10 });
    // The third segment (06:00:20–30) was never recorded.
    placeFrigate(path.join(school.dir, 'recordings'), 'entree', utc('2026-10-20T06:00:00Z'), segments, 10, [2]);
    const r = await exportFootage(school.config, school.register(), { cameras: ['entree'], from: '2026-10-20T06:00:05Z', to: '2026-10-20T06:00:35Z', hold: false }, { now: Date.now(), toolVersion: 'test' });
    expect(r.manifest.output!.writer).toBe('toezicht');
    expect(r.manifest.gaps).toEqual([{ camera: 'entree', from: '2026-10-20T06:00:20.000Z', to: '2026-10-20T06:00:30.000Z', seconds: 10, reason: 'no-footage' }]);
    const start = Date.parse(r.manifest.covered.from);
    expect(start).toBe(utc('2026-10-20T06:00:04Z'));
    const times = await frameTimes(path.join(r.packageDir, r.manifest.output!.file));
    // 16 s before the gap (06:00:04–20), 6 s after it (06:00:30–36): each frame at its wall-clock moment.
    expect(times).toHaveLength(220);
    expect(times[159]).toBeCloseTo(15.9, 3);
    expect(times[160]).toBeCloseTo(26, 3);
    expect(start + times.at(-1)! * 1000).toBeCloseTo(utc('2026-10-20T06:00:35.9Z'), -1);
  });

  it('leaves segments whose encoder settings changed to ffmpeg, which repeats the parameter sets', async () => {
    school = await exportSchool();
    const root = path.join(school.dir, 'recordings');
    const a = await makeStream({ seconds: 10, segmentSeconds: 10 });
    const b = await makeStream({ seconds: 10, segmentSeconds: 10, bframes: true });
    placeFrigate(root, 'entree', utc('2026-10-20T06:00:00Z'), a, 10);
    placeFrigate(root, 'entree', utc('2026-10-20T06:00:10Z'), b, 10);
    const r = await exportFootage(school.config, school.register(), { cameras: ['entree'], from: '2026-10-20T06:00:00Z', to: '2026-10-20T06:00:20Z', hold: false }, { now: Date.now(), toolVersion: 'test' });
    expect(r.manifest.output!.writer).toBe('ffmpeg');
    expect(r.manifest.tool.ffmpeg?.version).toBeTruthy();
    expect(r.manifest.clips[0]!.notes.join(' ')).toContain('parameter sets are repeated');
    // Every frame of both segments is in the clip, as it was (ffmpeg only adds the parameter sets in front of keyframes).
    expect(r.manifest.output!.frames).toBe(200);
    expect(await packets(path.join(r.packageDir, r.manifest.output!.file))).toHaveLength(200);
  });

  it('a segment cut short after it was inspected is named, and skipped as a gap with --on-corrupt skip', async () => {
    school = await exportSchool();
    const root = path.join(school.dir, 'recordings');
    const placed = placeFrigate(root, 'entree', utc('2026-10-20T06:00:00Z'), await makeStream({ seconds: 30, segmentSeconds: 10 }), 10);
    // The recorder (or a disk fault) cuts the middle segment short between inspection and copy.
    const middle = path.join(root, placed[1]!);
    const keep = path.join(school.dir, 'middle.mp4');
    copyFileSync(middle, keep);
    const cut = (p: { phase: string; done: number; total: number }): void => {
      if (p.phase === 'inspect' && p.done === p.total) truncateSync(middle, 2000);
    };
    const request = { cameras: ['entree'], from: '2026-10-20T06:00:00Z', to: '2026-10-20T06:00:30Z', hold: false };
    await expect(exportFootage(school.config, school.register(), request, { now: Date.now(), toolVersion: 'test', onProgress: cut })).rejects.toThrow(placed[1]!);
    copyFileSync(keep, middle);
    const r = await exportFootage(school.config, school.register(), { ...request, onCorrupt: 'skip' }, { now: Date.now(), toolVersion: 'test', onProgress: cut });
    expect(r.manifest.gaps).toMatchObject([{ from: '2026-10-20T06:00:10.000Z', to: '2026-10-20T06:00:20.000Z', reason: 'corrupt', segments: [placed[1]] }]);
    expect(r.manifest.sources.map((s) => s.path)).toEqual([placed[0], placed[2]]);
    expect(r.manifest.output!.frames).toBe(200);
  });
});
