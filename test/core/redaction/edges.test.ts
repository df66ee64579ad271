// The bare frames issue 20 found, one short clip each, with the real detector and ffmpeg: a face leaving at the last
// frame of the clip, a face turning into view and then lost for a while, two faces crossing (one person, one track,
// and --keep-track keeps all of that person), test patterns where nothing may be found, and a cut.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxAt, openDetector, planRedaction, renderRedaction, type Box, type Detector, type RedactionPlan } from '../../../src/core/redaction/index.js';
import { resolveTool } from '../../../src/core/media/index.js';
import { coverage, renderScene, type SceneActor, type TruthEntry } from '../../helpers/face-scene.mjs';
import { lumaFrames, meanAbsDiff, pixels } from '../../helpers/pixels.js';

const W = 640;
const H = 360;
const FPS = 25;
const size = { width: W, height: H };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'toezicht-edges-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Face-frames (at least half the face in view) less than 90 % covered by the plan: "frame f actor a (h px)". */
function bareFrames(plan: RedactionPlan, truth: TruthEntry[][], frames?: (f: number) => boolean): string[] {
  const bare: string[] = [];
  truth.forEach((here, f) => {
    if (frames && !frames(f)) return;
    const boxes = plan.tracks.map((t) => boxAt(t, f)).filter((b): b is Box => Boolean(b));
    for (const g of here) {
      if (g.visible < 0.5) continue;
      const c = coverage(g.box, boxes, W, H, 2);
      if (c.share < 0.9) bare.push(`frame ${f} actor ${g.actor} (${Math.round(g.h)} px): ${Math.round(c.share * 100)} %`);
    }
  });
  return bare;
}

/** Each track's person: the actor whose face (at least half of it) it covers in most frames. */
function owners(plan: RedactionPlan, truth: TruthEntry[][]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of plan.tracks) {
    const count = new Map<number, number>();
    truth.forEach((here, f) => {
      const b = boxAt(t, f);
      if (!b) return;
      for (const g of here) if (g.visible >= 0.5 && coverage(g.box, [b], W, H, 2).share >= 0.5) count.set(g.actor, (count.get(g.actor) ?? 0) + 1);
    });
    const best = [...count.entries()].sort((x, y) => y[1] - x[1])[0];
    if (best) out.set(t.id, best[0]);
  }
  return out;
}

/** The tracks whose person is `actor`. */
function tracksOn(plan: RedactionPlan, truth: TruthEntry[][], actor: number): string[] {
  return [...owners(plan, truth).entries()].filter(([, a]) => a === actor).map(([id]) => id);
}

async function scene(name: string, seconds: number, actors: SceneActor[]): Promise<{ clip: string; truth: TruthEntry[][] }> {
  const clip = path.join(dir, `${name}.mp4`);
  const { truth } = await renderScene({ file: clip, width: W, height: H, fps: FPS, seconds, actors });
  return { clip, truth };
}

describe('the ends of a clip', () => {
  it('covers a small face leaving at the last frame, and a still one, to the last frame', async () => {
    // 2 s, 50 frames: the walker's face is half out of the picture at the last frame (49, not a sampled frame).
    const { clip, truth } = await scene('leaving', 2, [
      { face: 4, keys: [{ t: 0, x: 380, y: 120, h: 22 }, { t: 1.96, x: W - 2, y: 130, h: 24 }] },
      { face: 10, keys: [{ t: 0, x: 150, y: 200, h: 20 }, { t: 2, x: 150, y: 200, h: 20 }] },
    ]);
    const plan = await planRedaction({ input: clip });
    expect(plan.input.frames).toBe(50);
    expect(truth[49]!.filter((g) => g.visible >= 0.5)).toHaveLength(2);
    expect(bareFrames(plan, truth)).toEqual([]);
    // Both are covered in the first and the last frame: their tracks reach the ends.
    for (const f of [0, 49]) expect(plan.tracks.filter((t) => boxAt(t, f)).length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('ends every track at a cut and covers both sides of it', async () => {
    const a = await scene('before-cut', 1.2, [{ face: 7, keys: [{ t: 0, x: 200, y: 150, h: 50 }, { t: 1.2, x: 300, y: 150, h: 50 }] }]);
    const b = await scene('after-cut', 1.2, [{ face: 14, keys: [{ t: 0, x: 450, y: 200, h: 44 }, { t: 1.2, x: 380, y: 190, h: 46 }] }]);
    const clip = path.join(dir, 'cut.mp4');
    // The second scene is another camera's view of a similar corridor: darker, so its picture differs everywhere.
    execFileSync(resolveTool('ffmpeg').path, ['-v', 'error', '-y', '-i', a.clip, '-i', b.clip, '-filter_complex', '[1:v]lutyuv=y=val*0.55[b];[0:v][b]concat=n=2:v=1:a=0[v]', '-map', '[v]', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', clip]);
    const truth = [...a.truth, ...b.truth.map((here) => here.map((g) => ({ ...g, actor: g.actor + 1 })))];
    const plan = await planRedaction({ input: clip });
    const cut = a.truth.length; // 30
    expect(bareFrames(plan, truth)).toEqual([]);
    // No track runs across the cut: each lies wholly before or wholly after it.
    for (const t of plan.tracks) {
      const first = t.keyframes[0]!.frame;
      const last = t.keyframes[t.keyframes.length - 1]!.frame;
      expect(last < cut || first >= cut, `${t.id} spans frames ${first}–${last}`).toBe(true);
    }
    expect(plan.tracks.some((t) => boxAt(t, cut - 1))).toBe(true);
    expect(plan.tracks.some((t) => boxAt(t, cut))).toBe(true);
  }, 120_000);
});

describe('a face turning into view and lost for a while', () => {
  it('leaves no frame of a face of 40 px or more bare', async () => {
    // The face appears at once at frame 25 (no walking in from the edge), and the detector misses it on every
    // frame from 40 to 60 (0.8 s), as when it turns away.
    const { clip, truth } = await scene('turning', 3, [{ face: 2, keys: [{ t: 1, x: 320, y: 170, h: 64 }, { t: 3, x: 420, y: 175, h: 70 }] }]);
    const real = await openDetector({ what: ['face'] });
    let missed = 0;
    const detector: Detector = {
      ...real,
      kinds: real.kinds,
      models: real.models,
      runtime: real.runtime,
      settings: real.settings,
      async detect(frame, index, hint) {
        const found = await real.detect(frame, index, hint);
        if (index >= 40 && index <= 60) {
          missed += found.length;
          return [];
        }
        return found;
      },
      close: () => real.close(),
    };
    let plan: RedactionPlan;
    try {
      plan = await planRedaction({ input: clip, detector });
    } finally {
      await detector.close();
    }
    expect(missed).toBeGreaterThan(0); // the face was there to be found
    expect(truth[24]).toEqual([]);
    expect(truth[25]!.length).toBe(1);
    expect(bareFrames(plan, truth)).toEqual([]);
    expect(plan.tracks).toHaveLength(1);
  }, 120_000);
});

describe('two faces crossing', () => {
  let clip: string;
  let truth: TruthEntry[][];
  let plan: RedactionPlan;
  beforeAll(async () => {
    // Two people of about the same size walk past each other; B passes in front of A.
    ({ clip, truth } = await scene('crossing', 3, [
      { face: 4, z: 0, keys: [{ t: 0, x: 90, y: 160, h: 56 }, { t: 3, x: 560, y: 170, h: 60 }] },
      { face: 19, z: 1, keys: [{ t: 0, x: 560, y: 175, h: 60 }, { t: 3, x: 90, y: 165, h: 56 }] },
    ]));
    plan = await planRedaction({ input: clip });
  }, 120_000);

  it('keeps each person in one track of their own', () => {
    expect(bareFrames(plan, truth)).toEqual([]);
    const a = tracksOn(plan, truth, 0);
    const b = tracksOn(plan, truth, 1);
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a[0]).not.toBe(b[0]);
    // Not swapped: A's track is on A before the crossing (frame 5) and after it (frame 70).
    for (const f of [5, 70]) {
      const g = truth[f]!.find((e) => e.actor === 0)!;
      const box = boxAt(plan.tracks.find((t) => t.id === a[0])!, f)!;
      expect(coverage(g.box, [box], W, H, 2).share, `frame ${f}`).toBeGreaterThan(0.9);
    }
  });

  it('--keep-track keeps that person visible before and after the crossing', async () => {
    const keep = tracksOn(plan, truth, 0)[0]!;
    const output = path.join(dir, 'crossing.kept.mp4');
    await renderRedaction({ input: clip, plan, style: 'fill', output, keepTracks: [keep] });
    const source = lumaFrames(clip, size);
    const out = lumaFrames(output, size);
    const kept: number[] = [];
    for (const f of [5, 20, 60, 65, 70]) {
      const a = truth[f]!.find((g) => g.actor === 0)!;
      const b = truth[f]!.find((g) => g.actor === 1)!;
      // Only where B's box does not overlap A's (B is redacted there).
      if (coverage(a.box, [b.box], W, H, 2).share > 0) continue;
      kept.push(meanAbsDiff(pixels(out[f]!, a.box, size), pixels(source[f]!, a.box, size)));
    }
    expect(kept.length).toBeGreaterThanOrEqual(4);
    for (const d of kept) expect(d).toBeLessThan(6); // re-encoded, not redacted
  }, 120_000);
});

describe('test patterns', () => {
  it('finds no face in colour bars, digits, text, stripes and noise', async () => {
    const clip = path.join(dir, 'patterns.mp4');
    const font = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
    const sources = [
      `testsrc=size=${W}x${H}:rate=${FPS}`,
      `testsrc2=size=${W}x${H}:rate=${FPS}`,
      `smptebars=size=${W}x${H}:rate=${FPS}`,
      `color=c=white:size=${W}x${H}:rate=${FPS},drawtext=fontfile=${font}:text='Gang B 08\\:14\\:07 CAM 3':fontcolor=black:fontsize=36:x=20+t*40:y=160`,
      `color=c=gray:size=${W + 48}x${H}:rate=${FPS},drawgrid=w=24:h=${H}:t=12:c=black,crop=${W}:${H}:mod(t*30\\,48):0`,
      `color=c=white:size=${W}x${H}:rate=${FPS},drawgrid=w=40:h=40:t=6:c=navy,noise=alls=40:allf=t`,
    ];
    if (!existsSync(font)) sources.splice(3, 1); // text needs a font file
    const inputs = sources.flatMap((s) => ['-f', 'lavfi', '-t', '1', '-i', s]);
    const graph = sources.map((_, i) => `[${i}:v]format=yuv420p,setsar=1[v${i}]`).join(';') + ';' + sources.map((_, i) => `[v${i}]`).join('') + `concat=n=${sources.length}:v=1:a=0[v]`;
    execFileSync(resolveTool('ffmpeg').path, ['-v', 'error', '-y', ...inputs, '-filter_complex', graph, '-map', '[v]', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', clip], { stdio: ['ignore', 'ignore', 'ignore'] });
    const plan = await planRedaction({ input: clip });
    expect(plan.input.frames).toBe(25 * sources.length);
    expect(plan.tracks).toEqual([]);
  }, 120_000);
});
