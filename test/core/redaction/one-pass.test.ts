// Planning and rendering in one decoding pass (redact), with motion gating and detectors in worker threads: the
// output is exactly what the plan says — the same bytes as rendering the plan afterwards — and the plan is the one
// planRedaction makes. Real detector, real ffmpeg, faces from @vladmandic/face-api's sample photos.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxAt, planRedaction, redact, renderRedaction, type Box, type RedactResult } from '../../../src/core/redaction/index.js';
import { redactWith } from '../../../src/core/redaction/redact.js';
import { coverage, renderScene, type TruthEntry } from '../../helpers/face-scene.mjs';

const W = 640;
const H = 360;
const FPS = 25;
const SECONDS = 3;
const ACTORS = [
  // Walks in from the right edge and across, small.
  { face: 12, keys: [{ t: 0, x: 680, y: 90, h: 20 }, { t: 3, x: 200, y: 100, h: 26 }] },
  // Stands still the whole time, too small for the coarse pass: only the full passes of the motion gate see it.
  { face: 9, keys: [{ t: 0, x: 470, y: 260, h: 24 }, { t: 3, x: 470, y: 260, h: 24 }] },
  // Comes towards the camera, growing.
  { face: 17, keys: [{ t: 0, x: 120, y: 220, h: 30 }, { t: 3, x: 200, y: 250, h: 90 }] },
];

let dir: string;
let clip: string;
let truth: TruthEntry[][];
let result: RedactResult;
const timings: Record<string, number> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'toezicht-redact-1p-'));
  clip = path.join(dir, 'hal_20261126T120000Z.mp4');
  ({ truth } = await renderScene({ file: clip, width: W, height: H, fps: FPS, seconds: SECONDS, actors: ACTORS }));
  result = await redact({ input: clip, style: 'fill', output: path.join(dir, 'one-pass.mp4'), timings });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('redact (one pass)', () => {
  it('plans and renders in one pass, covering every visible face in every frame, the still one too', () => {
    expect(result.passes).toBe(1);
    expect(result.plan.input.frames).toBe(FPS * SECONDS);
    expect(result.render.frames).toBe(FPS * SECONDS);
    // The gate limited the fine pass to the moving parts in some frames, and recorded how it was set.
    expect(result.plan.detection.settings.motion).toEqual({ fullEvery: 8, threshold: 6 });
    expect(timings.gatedFrames).toBeGreaterThan(0.3);
    const bare: string[] = [];
    truth.forEach((here, f) => {
      for (const g of here) {
        if (g.visible < 0.25) continue;
        const boxes = result.plan.tracks.map((t) => boxAt(t, f)).filter((b): b is Box => Boolean(b));
        const c = coverage(g.box, boxes, W, H);
        if (c.share < 0.95) bare.push(`frame ${f} actor ${g.actor} (${Math.round(g.h)} px): ${(c.share * 100).toFixed(0)} %`);
      }
    });
    expect(bare).toEqual([]);
    // The still face was looked at closely only in the full passes (every 8th sampled frame) and the whole last
    // frame, and stayed covered.
    const still = result.plan.tracks.filter((t) => {
      const b = boxAt(t, 40);
      return b && coverage(truth[40]!.find((g) => g.actor === 1)!.box, [b], W, H).share > 0.5;
    });
    expect(still).toHaveLength(1);
    expect(still[0]!.detections).toBeLessThanOrEqual(7);
  });

  it('makes the plan planRedaction makes', async () => {
    const plan = await planRedaction({ input: clip });
    expect(plan.tracks).toEqual(result.plan.tracks);
    expect(plan.detection.framesDetected).toBe(result.plan.detection.framesDetected);
  });

  it('writes the same clip as rendering its plan afterwards', async () => {
    const again = await renderRedaction({ input: clip, plan: result.plan, style: 'fill', output: path.join(dir, 'from-plan.mp4') });
    expect(again.sha256).toBe(result.render.sha256);
    expect(result.render.planSha256).toBe(again.planSha256);
  });

  it('renders again from the plan when a box drawn early turned out different', async () => {
    // Frames held back far too briefly: boxes are drawn before their tracks are known.
    const hasty = await redactWith({ input: clip, style: 'fill', output: path.join(dir, 'hasty.mp4') }, { horizon: 0 });
    expect(hasty).toMatchObject({ passes: 2, reason: 'plan-changed' });
    expect(hasty.plan.tracks).toEqual(result.plan.tracks);
    expect(hasty.render.sha256).toBe(result.render.sha256);
  });

  it('takes two passes when tracks are kept or the frames would not fit in memory, with the same result', async () => {
    const small = await redact({ input: clip, style: 'fill', output: path.join(dir, 'small-budget.mp4'), memoryBudgetMB: 1 });
    expect(small).toMatchObject({ passes: 2, reason: 'memory' });
    expect(small.render.sha256).toBe(result.render.sha256);
    const kept = await redact({ input: clip, style: 'fill', output: path.join(dir, 'kept.mp4'), keepTracks: [result.plan.tracks[0]!.id] });
    expect(kept).toMatchObject({ passes: 2, reason: 'keep-tracks' });
    expect(kept.render.keptTracks).toEqual([result.plan.tracks[0]!.id]);
    expect(kept.render.sha256).not.toBe(result.render.sha256);
  });

  it('stops when asked and leaves no file behind', async () => {
    const stop = new AbortController();
    const output = path.join(dir, 'stopped', 'clip.mp4');
    rmSync(path.dirname(output), { recursive: true, force: true });
    mkdirSync(path.dirname(output));
    const run = redact({
      input: clip,
      output,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.frame >= 5) stop.abort();
      },
    });
    await expect(run).rejects.toThrow(/stopped before the end/);
    expect(readdirSync(path.dirname(output))).toEqual([]);
  });
});
