// The parts that make redaction fast, each held to giving the same answers as the plain way: the online tracker
// (boxes final after its horizon), the motion gate, channel-aligned models, detectors in worker threads.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDetector, type Detection, type Frame } from '../../../src/core/redaction/index.js';
import { regionsAt } from '../../../src/core/redaction/render.js';
import { DEFAULT_TRACKING, Tracker, buildTracks } from '../../../src/core/redaction/track.js';
import { MotionGate } from '../../../src/core/redaction/gate.js';
import { loadModel } from '../../../src/core/redaction/model/models.js';
import { openSession } from '../../../src/core/redaction/model/runtime.js';
import { toTensor } from '../../../src/core/redaction/detect/image.js';
import { resolveTool } from '../../../src/core/media/index.js';
import { random } from '../../helpers/face-scene.mjs';

const require = createRequire(import.meta.url);

/** Detections of faces walking about, with misses, jitter and the odd false detection. */
function walkers(seed: number, frames: number, step: number): Map<number, Detection[]> {
  const rnd = random(seed);
  const people = Array.from({ length: 6 }, () => ({
    from: Math.floor(rnd() * frames * 0.7),
    length: 20 + Math.floor(rnd() * frames * 0.5),
    x: rnd() * 600,
    y: rnd() * 300,
    vx: (rnd() - 0.5) * 8,
    vy: (rnd() - 0.5) * 2,
    h: 16 + rnd() * 60,
  }));
  const out = new Map<number, Detection[]>();
  for (let f = 0; f < frames; f += step) {
    const here: Detection[] = [];
    for (const p of people) {
      if (f < p.from || f > p.from + p.length || rnd() < 0.15) continue;
      const t = f - p.from;
      here.push({ kind: 'face', score: 0.55 + rnd() * 0.4, x: p.x + p.vx * t + rnd() * 2, y: p.y + p.vy * t + rnd() * 2, w: p.h * (0.95 + rnd() * 0.1), h: p.h });
    }
    if (rnd() < 0.1) here.push({ kind: 'face', score: 0.5 + rnd() * 0.3, x: rnd() * 600, y: rnd() * 300, w: 20, h: 20 });
    out.set(f, here);
  }
  return out;
}

describe('Tracker', () => {
  it('gives every frame the boxes of the finished plan once the horizon has passed it', () => {
    const step = 3;
    const options = { ...DEFAULT_TRACKING, extendFrames: 8, maxGapFrames: 50 };
    const horizon = Tracker.horizon(step, options);
    for (const seed of [1, 2, 3, 4]) {
      const frames = 400;
      const detections = walkers(seed, frames, step);
      const final = buildTracks(detections, frames, step, options);
      expect(final.length).toBeGreaterThan(3);
      const tracker = new Tracker(step, options);
      let next = 0;
      let compared = 0;
      for (const [frame, found] of detections) {
        tracker.add(frame, found);
        for (; next <= frame - horizon; next++) {
          const sort = (r: ReturnType<typeof regionsAt>) => r.map((x) => JSON.stringify(x)).sort();
          expect(sort(regionsAt(tracker.settled(next, next), next)), `seed ${seed} frame ${next}`).toEqual(sort(regionsAt(final, next)));
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(frames - horizon - step - 1);
      // Reading it as it goes does not change the finished tracks.
      expect(tracker.finish(frames)).toEqual(final);
    }
  });
});

/** A grey 640×360 frame with a dark square at (x, y). */
function frameWith(square?: { x: number; y: number; size: number }, noise = 0, seed = 1): Frame {
  const width = 640;
  const height = 360;
  const data = new Uint8Array(width * height * 1.5).fill(128);
  const rnd = random(seed);
  for (let i = 0; i < width * height; i++) data[i] = 120 + Math.round((rnd() - 0.5) * 2 * noise);
  if (square)
    for (let y = square.y; y < square.y + square.size; y++) for (let x = square.x; x < square.x + square.size; x++) data[y * width + x] = 30;
  return { width, height, data };
}

describe('MotionGate', () => {
  it('looks at the whole of the first frame and every 4th after it, and in between only where the picture changed', () => {
    const gate = new MotionGate(640, 360, { fullEvery: 4, threshold: 6 });
    expect(gate.regions(frameWith({ x: 100, y: 100, size: 20 }))).toBeUndefined(); // nothing to compare with
    // Sensor noise of ±3 levels moves nothing.
    expect(gate.regions(frameWith({ x: 100, y: 100, size: 20 }, 3, 2))).toEqual([]);
    // The square moved 12 px: one region holding both places with room around them, in whole 32 px strides.
    const regions = gate.regions(frameWith({ x: 112, y: 100, size: 20 }))!;
    expect(regions).toHaveLength(1);
    const r = regions[0]!;
    expect(r.x).toBeLessThanOrEqual(100 - 48);
    expect(r.y).toBeLessThanOrEqual(100 - 48);
    expect(r.x + r.w).toBeGreaterThanOrEqual(132 + 48);
    expect(r.y + r.h).toBeGreaterThanOrEqual(120 + 48);
    expect(r.w % 32 + (r.h % 32)).toBe(0);
    expect(r.w * r.h).toBeLessThan(0.25 * 640 * 360);
    expect(gate.regions(frameWith({ x: 112, y: 100, size: 20 }))).toEqual([]); // nothing moved since
    expect(gate.regions(frameWith({ x: 112, y: 100, size: 20 }))).toBeUndefined(); // the 5th: a full pass
    // A change over most of the picture (the lights went on): the whole frame.
    const gate2 = new MotionGate(640, 360, { fullEvery: 100, threshold: 6 });
    gate2.regions(frameWith());
    const lit = frameWith();
    lit.data.fill(200, 0, 640 * 360);
    expect(gate2.regions(lit)).toBeUndefined();
  });
});

/** A 640×360 frame of a face-api sample photo. */
function photo(n: number): Frame {
  const file = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', `sample${n}.jpg`);
  const data = execFileSync(resolveTool('ffmpeg').path, ['-v', 'error', '-i', file, '-vf', 'scale=640:360', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-'], { maxBuffer: 1 << 26 });
  return { width: 640, height: 360, data: new Uint8Array(data) };
}

describe('model conversion', () => {
  it('gives the same outputs with its channels aligned for ONNX Runtime, at a fixed size and at any size', async () => {
    const model = loadModel('blazeface');
    const heads = ['StatefulPartitionedCall/functional_1/conv2d_33/BiasAdd', 'StatefulPartitionedCall/functional_1/conv2d_35/BiasAdd'];
    const t = toTensor(photo(2), 1, 32);
    const plain = await openSession(model, { height: t.height, width: t.width }, heads, { threads: 1 });
    const aligned = await openSession(model, { height: t.height, width: t.width }, heads, { threads: 1, alignChannels: 16 });
    const any = await openSession(model, 'any', heads, { threads: 1, alignChannels: 16 });
    try {
      const a = await plain.run(t.data, t.height, t.width);
      for (const other of [await aligned.run(t.data, t.height, t.width), await any.run(t.data, t.height, t.width)]) {
        for (const h of heads) {
          expect(other[h]!.dims).toEqual(a[h]!.dims);
          let diff = 0;
          for (let i = 0; i < a[h]!.data.length; i++) diff = Math.max(diff, Math.abs(a[h]!.data[i]! - other[h]!.data[i]!));
          expect(diff).toBeLessThan(1e-2);
        }
      }
    } finally {
      await Promise.all([plain.release(), aligned.release(), any.release()]);
    }
  });
});

describe('detectors in worker threads', () => {
  // Regression: with two frames in flight, the second overwrote the first's input before the model had read it,
  // and the first frame got the second frame's faces.
  it('answer each frame with its own faces when several are in flight', async () => {
    const frames = [photo(1), photo(3), photo(6), photo(2)];
    const local = await openDetector({ what: ['face'], workers: 0 });
    const pool = await openDetector({ what: ['face'], workers: 2 });
    try {
      expect('workers' in pool && pool.workers).toBe(2);
      const one = async (d: typeof local) => Promise.all(frames.map((f, i) => d.detect(f, i)));
      const round = (all: Detection[][]) => all.map((found) => found.map((d) => [Math.round(d.x), Math.round(d.y), Math.round(d.h)]).sort());
      const expected = [];
      for (const [i, f] of frames.entries()) expected.push(await local.detect(f, i)); // one at a time
      expect(round(expected).every((f) => f.length >= 2)).toBe(true);
      expect(round(await one(local))).toEqual(round(expected));
      expect(round(await one(pool))).toEqual(round(expected));
      // The fine pass on a region finds the faces inside it, as the whole frame does.
      const whole = expected[0]!.filter((d) => d.h < 80);
      expect(whole.length).toBeGreaterThan(0);
      const d = whole[0]!;
      const region = { x: Math.max(0, Math.floor((d.x - 48) / 32) * 32), y: Math.max(0, Math.floor((d.y - 48) / 32) * 32), w: 160, h: 160 };
      const inRegion = await pool.detect(frames[0]!, 0, { regions: [region] });
      expect(inRegion.some((x) => Math.abs(x.x - d.x) < 3 && Math.abs(x.y - d.y) < 3 && Math.abs(x.h - d.h) < 3)).toBe(true);
    } finally {
      await Promise.all([local.close(), pool.close()]);
    }
  });
});
