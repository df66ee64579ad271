import { describe, expect, it } from 'vitest';
import { planClip, type InspectedSegment } from '../../../src/core/evidence/index.js';
import type { MediaInfo } from '../../../src/core/media/index.js';

const T0 = Date.parse('2026-10-20T06:00:00Z');

/** A segment of `seconds` at `fps` with a keyframe every `gop` frames, starting at path time `startMs`. */
function segment(name: string, startMs: number, seconds: number, options: { fps?: number; gop?: number; width?: number; config?: string; videoStart?: number } = {}): InspectedSegment {
  const fps = options.fps ?? 10;
  const gop = options.gop ?? 20;
  const n = Math.round(seconds * fps);
  const t = Float64Array.from({ length: n }, (_, i) => (options.videoStart ?? 0) + i / fps);
  const media: MediaInfo = {
    container: 'mp4',
    file: name,
    bytes: n * 100,
    start: 0,
    tracks: [{ id: 1, kind: 'video', codec: 'h264', samples: n }, { id: 2, kind: 'audio', codec: 'aac', samples: 1 }],
    video: {
      trackId: 1,
      codec: 'h264',
      width: options.width ?? 160,
      height: 90,
      config: options.config ?? 'c1',
      dts: t,
      pts: t.slice(),
      durations: new Float64Array(n).fill(1 / fps),
      sizes: new Uint32Array(n).fill(100),
      keyframes: Uint32Array.from({ length: Math.ceil(n / gop) }, (_, k) => k * gop),
    },
  };
  return { relPath: name, start: startMs, localPath: `/footage/${name}`, media };
}

const tenSecondSegments = (count: number, skip: number[] = []): InspectedSegment[] =>
  Array.from({ length: count }, (_, i) => i).filter((i) => !skip.includes(i)).map((i) => segment(`s${i}`, T0 + i * 10_000, 10));

describe('planning a clip', () => {
  it('starts at the last keyframe at or before the start and ends before the first keyframe after the end', () => {
    const plan = planClip(tenSecondSegments(6), { from: T0 + 13_500, to: T0 + 33_100, keepAudio: false })!;
    expect(plan.parts.map((p) => p.segment.relPath)).toEqual(['s1', 's2', 's3']);
    // Keyframes every 2 s: 12 s is the last at or before 13.5 s; 34 s the first after 33.1 s.
    expect(plan.covered).toEqual({ from: T0 + 12_000, to: T0 + 34_000 });
    expect(plan.parts[0]!.firstFrame).toBe(20);
    expect(plan.parts[2]!.endFrame).toBe(40);
    expect(plan.frames).toBe(220);
    expect(plan.frameBytes).toBe(220 * 100);
    expect(plan.gaps).toEqual([]);
    // ffmpeg stops just before the frame at 22 s of output (34 s − 12 s).
    expect(plan.limit).toBeGreaterThan(21.9);
    expect(plan.limit).toBeLessThan(22);
    // In-points fall halfway to the next keyframe (ffmpeg seeks back to the keyframe); durations join the parts.
    expect(plan.parts[0]!.inpoint).toBeCloseTo(3, 3);
    expect(plan.parts[1]!.inpoint).toBeCloseTo(1, 3);
    expect(plan.parts[0]!.duration).toBeCloseTo(8, 2);
    expect(plan.parts[1]!.duration).toBeCloseTo(10, 2);
  });

  it('a cut exactly on a keyframe starts there, and a range inside one segment uses only it', () => {
    const plan = planClip(tenSecondSegments(3), { from: T0 + 14_000, to: T0 + 15_000, keepAudio: false })!;
    expect(plan.parts.map((p) => p.segment.relPath)).toEqual(['s1']);
    expect(plan.covered).toEqual({ from: T0 + 14_000, to: T0 + 16_000 });
    expect(plan.frames).toBe(20);
  });

  it('keeps missing segments as gaps, in the manifest and in the clip timeline', () => {
    const plan = planClip(tenSecondSegments(6, [2, 3]), { from: T0 + 5_000, to: T0 + 55_000, keepAudio: false })!;
    expect(plan.gaps).toEqual([{ from: T0 + 20_000, to: T0 + 40_000, reason: 'no-footage' }]);
    // Each part lasts its own frames; the one before the gap also the 20 s of the gap.
    expect(plan.parts[0]!.duration).toBeCloseTo(6 + 0.001, 2); // from the keyframe at 4 s
    expect(plan.parts[1]!.duration).toBeCloseTo(30, 2);
  });

  it('reports footage missing at the start and end of the range, and damaged segments by name', () => {
    const plan = planClip(tenSecondSegments(4, [0]), {
      from: T0,
      to: T0 + 60_000,
      keepAudio: false,
      corrupt: [{ relPath: 's0', start: T0, end: T0 + 10_000 }],
    })!;
    expect(plan.gaps).toEqual([
      { from: T0, to: T0 + 10_000, reason: 'corrupt', segments: ['s0'] },
      { from: T0 + 40_000, to: T0 + 60_000, reason: 'no-footage' },
    ]);
    expect(plan.limit).toBeUndefined();
  });

  it('treats path-time jitter under the tolerance as one continuous recording', () => {
    const segs = [segment('a', T0, 10), segment('b', T0 + 10_900, 10)];
    const plan = planClip(segs, { from: T0, to: T0 + 20_000, keepAudio: false })!;
    expect(plan.gaps).toEqual([]);
    expect(plan.parts[0]!.duration).toBeCloseTo(10 + 0.001, 2);
  });

  it('passes only the video track to ffmpeg, and the audio track with keepAudio', () => {
    expect(planClip(tenSecondSegments(2), { from: T0, to: T0 + 5000, keepAudio: false })!.streamIds).toEqual([1]);
    expect(planClip(tenSecondSegments(2), { from: T0, to: T0 + 5000, keepAudio: true })!.streamIds).toEqual([1, 2]);
  });

  it('refuses to join recordings whose format changes, naming the moment', () => {
    const segs = [segment('a', T0, 10), segment('b', T0 + 10_000, 10, { width: 320 })];
    expect(() => planClip(segs, { from: T0, to: T0 + 20_000, keepAudio: false })).toThrow(/change from h264 160×90 to h264 320×90 .* \(b\); export the periods before and after/);
  });

  it('marks differing decoder configurations, so ffmpeg repeats the parameter sets', () => {
    const segs = [segment('a', T0, 10), segment('b', T0 + 10_000, 10, { config: 'c2' })];
    expect(planClip(segs, { from: T0, to: T0 + 20_000, keepAudio: false })!.mixedConfig).toBe(true);
  });

  it('has no plan when no segment overlaps the range', () => {
    expect(planClip(tenSecondSegments(2), { from: T0 + 30_000, to: T0 + 40_000, keepAudio: false })).toBeUndefined();
  });
});
