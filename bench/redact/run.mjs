// bench/redact: plan and render a 1280×720, 25 fps clip of 60 s with faces of many sizes (half under 40 px high)
// and ground truth for every frame. Prints frames per second, the share of ground-truth face-frames at least 90 %
// covered (all, and under 40 px), how much of the picture away from faces was redacted, and where the time goes.
// Baseline in the same run: a plain decode → re-encode of the same clip with the same encoder settings (what any
// re-encoding export costs without redaction).
//
//   npm run build && node bench/redact/run.mjs [--seconds 60] [--detect-every 3] [--min-face 16] [--keep]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { planRedaction, renderRedaction, boxAt } from '../../dist/core/redaction/index.js';
import { ffmpegPath, random, renderScene } from '../../test/helpers/face-scene.mjs';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    'detect-every': { type: 'string', default: '3' },
    'min-face': { type: 'string', default: '16' },
    preset: { type: 'string', default: 'veryfast' },
    keep: { type: 'boolean', default: false },
    out: { type: 'string', default: path.resolve('bench/out/redact') },
  },
});

const W = 1280;
const H = 720;
const FPS = 25;
const SECONDS = Number(args.seconds);
const detectEvery = Number(args['detect-every']);

/** A minute of corridor: people crossing at several depths, walking towards and away from the camera. */
function actors(seed) {
  const rnd = random(seed);
  const list = [];
  let i = 0;
  for (let start = -2; start < SECONDS; start += 1.6) {
    const small = i % 2 === 0; // half the people are far away: faces under 40 px
    const h0 = small ? 16 + rnd() * 22 : 42 + rnd() * 100;
    const mode = i % 5; // 0,1: cross left→right / right→left; 2: towards camera; 3: away; 4: stand and look around
    const y = small ? 200 + rnd() * 160 : 220 + rnd() * 300;
    const dur = 5 + rnd() * 9;
    let keys;
    if (mode === 0 || mode === 1) {
      const from = mode === 0 ? -h0 : W + h0;
      const to = mode === 0 ? W + h0 : -h0;
      keys = [{ t: start, x: from, y, h: h0 }, { t: start + dur, x: to, y: y + (rnd() - 0.5) * 60, h: h0 * (0.8 + rnd() * 0.4) }];
    } else if (mode === 2) {
      const x = 150 + rnd() * (W - 300);
      keys = [{ t: start, x, y: y - 60, h: Math.min(h0, 30) }, { t: start + dur, x: x + (rnd() - 0.5) * 400, y: Math.min(H + 40, y + 220), h: Math.min(h0 * 2.5, 170) }];
    } else if (mode === 3) {
      const x = 150 + rnd() * (W - 300);
      keys = [{ t: start, x, y: y + 100, h: h0 * 1.6 }, { t: start + dur, x: x + (rnd() - 0.5) * 300, y: y - 80, h: Math.max(14, h0 * 0.5) }];
    } else {
      const x = 100 + rnd() * (W - 200);
      keys = [{ t: start, x, y, h: h0 }, { t: start + dur / 2, x: x + 20, y: y + 5, h: h0 }, { t: start + dur, x: x - 10, y, h: h0 }];
    }
    list.push({ face: i % 22, keys, z: small ? 0 : 1 });
    i++;
  }
  return list;
}

function inside(c, x, y) {
  return x >= c.x && x < c.x + c.w && y >= c.y && y < c.y + c.h;
}

function coverageOf(box, covering) {
  let total = 0;
  let covered = 0;
  const n = 12;
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const x = box.x + ((i + 0.5) / n) * box.w;
      const y = box.y + ((j + 0.5) / n) * box.h;
      if (x < 0 || y < 0 || x >= W || y >= H) continue;
      total++;
      if (covering.some((c) => inside(c, x, y))) covered++;
    }
  return total ? covered / total : 1;
}

const time = async (fn) => {
  const t0 = performance.now();
  const r = await fn();
  return [r, (performance.now() - t0) / 1000];
};

mkdirSync(args.out, { recursive: true });
const clip = path.join(args.out, 'corridor.mp4');
const cast = actors(7);
console.error(`generating ${SECONDS} s of ${W}x${H} at ${FPS} fps with ${cast.length} people …`);
const [{ truth, frames }, genSeconds] = await time(() => renderScene({ file: clip, width: W, height: H, fps: FPS, seconds: SECONDS, actors: cast, preset: 'veryfast', crf: 20 }));
console.error(`  made in ${genSeconds.toFixed(1)} s`);

// Baseline: decode and re-encode with the same settings, nothing else.
const ff = ffmpegPath();
const [, baseSeconds] = await time(async () =>
  execFileSync(ff, ['-v', 'error', '-y', '-i', clip, '-an', '-c:v', 'libx264', '-preset', args.preset, '-crf', '18', '-pix_fmt', 'yuv420p', path.join(args.out, 'baseline.mp4')]),
);

const planTimings = {};
const [plan, planSeconds] = await time(() =>
  planRedaction({ input: clip, options: { detectEvery, minFaceHeight: Number(args['min-face']) }, timings: planTimings }),
);
const renderTimings = {};
const [result, renderSeconds] = await time(() =>
  renderRedaction({ input: clip, plan, style: 'pixelate', output: path.join(args.out, 'corridor.redacted.mp4'), encoder: { preset: args.preset }, timings: renderTimings }),
);

// Coverage against the ground truth (a face-frame counts when at least half of the face is in view).
let all = 0;
let allOk = 0;
let small = 0;
let smallOk = 0;
let awayTotal = 0;
let awayRedacted = 0;
const step = 8;
for (let f = 0; f < frames; f++) {
  const boxes = plan.tracks.map((t) => boxAt(t, f)).filter(Boolean);
  for (const g of truth[f]) {
    if (g.visible < 0.5) continue;
    const ok = coverageOf(g.box, boxes) >= 0.9;
    all++;
    allOk += ok ? 1 : 0;
    if (g.h < 40) {
      small++;
      smallOk += ok ? 1 : 0;
    }
  }
  // Away from faces: farther than half a face from every ground-truth face box (visible or not).
  const near = truth[f].map((g) => ({ x: g.box.x - g.box.w / 2, y: g.box.y - g.box.h / 2, w: g.box.w * 2, h: g.box.h * 2 }));
  for (let y = step / 2; y < H; y += step)
    for (let x = step / 2; x < W; x += step) {
      if (near.some((n) => inside(n, x, y))) continue;
      awayTotal++;
      if (boxes.some((b) => inside(b, x, y))) awayRedacted++;
    }
}

const total = planSeconds + renderSeconds;
const pct = (a, b) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
const report = {
  date: new Date().toISOString().slice(0, 10),
  clip: { width: W, height: H, fps: FPS, seconds: SECONDS, frames, people: cast.length },
  detectEvery,
  minFaceHeight: Number(args['min-face']),
  tracks: plan.tracks.length,
  seconds: { plan: +planSeconds.toFixed(2), render: +renderSeconds.toFixed(2), total: +total.toFixed(2), baselineReencode: +baseSeconds.toFixed(2) },
  fps: +(frames / total).toFixed(1),
  ratioToBaseline: +(total / baseSeconds).toFixed(2),
  coverage: { faceFrames: all, covered90: pct(allOk, all), smallFaceFrames: small, smallCovered90: pct(smallOk, small) },
  overRedaction: pct(awayRedacted, awayTotal),
  time: {
    decode: +((planTimings.decode + renderTimings.decode) / 1000).toFixed(2),
    detect: +(planTimings.detect / 1000).toFixed(2),
    track: +(planTimings.track / 1000).toFixed(2),
    paint: +(renderTimings.paint / 1000).toFixed(2),
    encode: +(renderTimings.encode / 1000).toFixed(2),
  },
  output: { frames: result.frames, bytes: result.bytes },
};
console.log(JSON.stringify(report, null, 2));
if (!args.keep) rmSync(args.out, { recursive: true, force: true });
