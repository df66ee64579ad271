// bench/redact: redact a 1280×720, 25 fps clip of 60 s with faces of many sizes (half under 40 px high) and ground
// truth for every frame. Prints frames per second, the share of ground-truth face-frames at least 90 % covered (all,
// and under 40 px), how much of the picture away from faces was redacted, where the time goes, and the CPU time;
// bare face-frames by face size, the longest bare run, bare frames in the first and last 25 frames, tracks per
// person, and what is found on a clip of synthetic patterns (testsrc, bars, text, stripes, noise).
//
// Measured in the same run, on the same clip:
//   baseline   a plain decode → re-encode with the same encoder settings (what any re-encoding export costs)
//   one-pass   redact(): plan and render in one decoding pass, detectors in worker threads (the default path)
//   two-pass   planRedaction() then renderRedaction() (--plan-only, then --plan FILE)          [--two-pass]
//   no motion  redact() with motion gating off                                               [--without-motion]
//   previous   the engine of an earlier build, planRedaction + renderRedaction                 [--previous DIR]
//              (DIR: a compiled checkout, e.g. `git archive cfedcc2 | tar -x -C /tmp/prev`, node_modules
//              linked, `tsc -p tsconfig.json`)
//
//   npm run build && node bench/redact/run.mjs [--seconds 60] [--detect-every 3] [--min-face 16] [--workers N]
//        [--preset veryfast] [--crf 18] [--no-motion] [--full-every N] [--two-pass] [--without-motion]
//        [--previous DIR] [--reuse] [--keep] [--plan-only] [--score PLAN.json]
//
// CPU time is that of this process (all its threads) and of the ffmpeg processes it ran; "CPU-bound fps" is the frame
// rate the same work would reach if it had every core of the machine to itself, perfectly overlapped: an estimate for
// an idle machine when other work loads this one (the load average is printed with each figure).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as engine from '../../dist/core/redaction/index.js';
import { ffmpegPath, random, renderScene } from '../../test/helpers/face-scene.mjs';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    'detect-every': { type: 'string', default: '3' },
    'min-face': { type: 'string', default: '16' },
    workers: { type: 'string' },
    'no-motion': { type: 'boolean', default: false },
    'without-motion': { type: 'boolean', default: false },
    'full-every': { type: 'string' },
    preset: { type: 'string', default: 'veryfast' },
    crf: { type: 'string', default: '18' },
    'two-pass': { type: 'boolean', default: false },
    previous: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    'plan-only': { type: 'boolean', default: false },
    score: { type: 'string' },
    keep: { type: 'boolean', default: false },
    out: { type: 'string', default: path.resolve('bench/out/redact') },
  },
});

const W = 1280;
const H = 720;
const FPS = 25;
const SECONDS = Number(args.seconds);
const detectEvery = Number(args['detect-every']);
const minFaceHeight = Number(args['min-face']);
const encoder = { preset: args.preset, crf: Number(args.crf) };
const workers = args.workers === undefined ? undefined : Number(args.workers);

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

/** CPU seconds: this process (every thread), the children it has waited for (the ffmpegs), the main thread. */
function cpuSeconds() {
  const stat = (file) => readFileSync(file, 'utf8').split(') ')[1].split(' ').map(Number);
  // Fields 14–17 of stat (utime, stime, cutime, cstime), counted from field 3 after the command name.
  const p = stat('/proc/self/stat');
  const t = stat('/proc/thread-self/stat');
  return { own: (p[11] + p[12]) / 100, children: (p[13] + p[14]) / 100, main: (t[11] + t[12]) / 100 };
}

const load = () => loadavg()[0].toFixed(1);

/** Runs fn; returns its result with wall seconds, CPU seconds and the load average before and after. */
async function measure(label, fn) {
  const before = load();
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const result = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const c1 = cpuSeconds();
  const split = { mainThread: +(c1.main - c0.main).toFixed(1), otherThreads: +(c1.own - c0.own - (c1.main - c0.main)).toFixed(1), ffmpeg: +(c1.children - c0.children).toFixed(1) };
  const cpu = c1.own + c1.children - c0.own - c0.children;
  console.error(`  ${label}: ${seconds.toFixed(1)} s, ${cpu.toFixed(1)} CPU-s ${JSON.stringify(split)} (load ${before} → ${load()})`);
  return { result, seconds, cpu, split, load: `${before}→${load()}` };
}

mkdirSync(args.out, { recursive: true });
const clip = path.join(args.out, `corridor-${SECONDS}s.mp4`);
const truthFile = path.join(args.out, `corridor-${SECONDS}s.truth.json`);
const cast = actors(7);
let truth;
let frames;
if (args.reuse && existsSync(clip) && existsSync(truthFile) && statSync(truthFile).mtimeMs >= statSync(clip).mtimeMs) {
  ({ truth, frames } = JSON.parse(readFileSync(truthFile, 'utf8')));
  console.error(`reusing ${clip} (${frames} frames)`);
} else {
  console.error(`generating ${SECONDS} s of ${W}x${H} at ${FPS} fps with ${cast.length} people …`);
  const t0 = performance.now();
  ({ truth, frames } = await renderScene({ file: clip, width: W, height: H, fps: FPS, seconds: SECONDS, actors: cast, preset: 'veryfast', crf: 20 }));
  writeFileSync(truthFile, JSON.stringify({ truth, frames }));
  console.error(`  made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const planOptions = {
  detectEvery,
  minFaceHeight,
  ...(workers !== undefined ? { workers } : {}),
  ...(args['no-motion'] ? { motion: false } : args['full-every'] ? { motion: { fullEvery: Number(args['full-every']) } } : {}),
};

/** The size class of a face-frame, by the face's height in pixels. */
const SIZES = [[0, 24, '<24'], [24, 40, '24-40'], [40, 80, '40-80'], [80, Infinity, '>=80']];
const sizeClass = (h) => SIZES.find(([lo, hi]) => h >= lo && h < hi)[2];

/**
 * Coverage of the ground truth by a plan, and over-redaction away from faces. A face-frame (a face at least half in
 * view) is bare when less than 90 % of its box is covered. Also: bare face-frames by size, the longest run of bare
 * frames of one face (small and large apart), bare frames in the first and last 25 frames, and tracks per person
 * (each track counted for the person whose face it covers in most of its frames).
 */
function score(plan) {
  let all = 0;
  let allOk = 0;
  let small = 0;
  let smallOk = 0;
  let awayTotal = 0;
  let awayRedacted = 0;
  const bareBySize = Object.fromEntries(SIZES.map(([, , k]) => [k, 0]));
  const framesBySize = Object.fromEntries(SIZES.map(([, , k]) => [k, 0]));
  const run = new Map(); // actor → current bare run
  let longestSmall = 0;
  let longestLarge = 0;
  let edgeBare = 0;
  const owner = plan.tracks.map(() => new Map()); // per track: actor → frames covered
  const step = 8;
  for (let f = 0; f < frames; f++) {
    const boxes = plan.tracks.map((t) => engine.boxAt(t, f));
    const present = boxes.filter(Boolean);
    for (const g of truth[f]) {
      for (const [i, b] of boxes.entries()) if (b && coverageOf(g.box, [b]) >= 0.5) owner[i].set(g.actor, (owner[i].get(g.actor) ?? 0) + 1);
      if (g.visible < 0.5) {
        run.delete(g.actor);
        continue; // a face-frame counts when at least half of the face is in view
      }
      const ok = coverageOf(g.box, present) >= 0.9;
      all++;
      allOk += ok ? 1 : 0;
      if (g.h < 40) {
        small++;
        smallOk += ok ? 1 : 0;
      }
      const k = sizeClass(g.h);
      framesBySize[k]++;
      if (!ok) {
        bareBySize[k]++;
        if (f < 25 || f >= frames - 25) edgeBare++;
        const r = (run.get(g.actor) ?? 0) + 1;
        run.set(g.actor, r);
        if (g.h < 40) longestSmall = Math.max(longestSmall, r);
        else longestLarge = Math.max(longestLarge, r);
      } else run.delete(g.actor);
    }
    for (const a of [...run.keys()]) if (!truth[f].some((g) => g.actor === a)) run.delete(a);
    // Away from faces: farther than half a face from every ground-truth face box (visible or not).
    const near = truth[f].map((g) => ({ x: g.box.x - g.box.w / 2, y: g.box.y - g.box.h / 2, w: g.box.w * 2, h: g.box.h * 2 }));
    for (let y = step / 2; y < H; y += step)
      for (let x = step / 2; x < W; x += step) {
        if (near.some((n) => inside(n, x, y))) continue;
        awayTotal++;
        if (present.some((b) => inside(b, x, y))) awayRedacted++;
      }
  }
  // Tracks per person: persons seen in at least 10 face-frames, each track given to the person it covers most.
  const perActor = new Map();
  for (const [f, list] of truth.entries()) for (const g of list) if (g.visible >= 0.5) perActor.set(g.actor, (perActor.get(g.actor) ?? 0) + 1);
  const tracksOf = new Map();
  let unowned = 0;
  for (const o of owner) {
    const best = [...o.entries()].sort((a, b) => b[1] - a[1])[0];
    if (!best) unowned++;
    else tracksOf.set(best[0], (tracksOf.get(best[0]) ?? 0) + 1);
  }
  const persons = [...perActor.entries()].filter(([, n]) => n >= 10).map(([a]) => a);
  const oneTrack = persons.filter((a) => tracksOf.get(a) === 1).length;
  const pct = (a, b) => +((100 * a) / Math.max(1, b)).toFixed(1);
  return {
    faceFrames: all,
    covered90: pct(allOk, all),
    coveredExact: +((100 * allOk) / Math.max(1, all)).toFixed(2),
    smallFaceFrames: small,
    smallCovered90: pct(smallOk, small),
    bareBySize: Object.fromEntries(SIZES.map(([, , k]) => [k, `${bareBySize[k]}/${framesBySize[k]}`])),
    longestBareRun: { under40: longestSmall, from40: longestLarge },
    bareInFirstAndLast25: edgeBare,
    awayRedacted: pct(awayRedacted, awayTotal),
    tracks: plan.tracks.length,
    tracksWithoutFace: unowned,
    persons: persons.length,
    personsWithOneTrack: pct(oneTrack, persons.length),
    tracksPerPerson: +(persons.reduce((s, a) => s + (tracksOf.get(a) ?? 0), 0) / Math.max(1, persons.length)).toFixed(2),
  };
}

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** Synthetic patterns where no face may be found: colour bars and digits, text, stripes, noise-like fractals. */
function patternClip() {
  const file = path.join(args.out, 'patterns.mp4');
  if (args.reuse && existsSync(file)) return file;
  const s = 2; // seconds per pattern
  const sources = [
    `testsrc=size=${W}x${H}:rate=${FPS}:duration=${s}`,
    `testsrc2=size=${W}x${H}:rate=${FPS}:duration=${s}`,
    `smptehdbars=size=${W}x${H}:rate=${FPS}:duration=${s}`,
    `color=c=white:size=${W}x${H}:rate=${FPS}:duration=${s},drawtext=fontfile=${FONT}:text='Gang B 12-10-2026 08\:14\:07 CAM 3':fontcolor=black:fontsize=48:x=40+t*60:y=300`,
    `color=c=gray:size=${W + 48}x${H}:rate=${FPS}:duration=${s},drawgrid=w=24:h=${H}:t=12:c=black,crop=${W}:${H}:mod(t*30\\,48):0`,
    `color=c=white:size=${W}x${H}:rate=${FPS}:duration=${s},drawgrid=w=40:h=40:t=6:c=navy,noise=alls=40:allf=t`,
    `mandelbrot=size=320x180:rate=${FPS}:end_pts=${s}:maxiter=200,scale=${W}:${H}`,
    `rgbtestsrc=size=${W}x${H}:rate=${FPS}:duration=${s}`,
  ];
  if (!existsSync(FONT)) sources.splice(3, 1);
  const inputs = [];
  for (const [i, src] of sources.entries()) inputs.push('-f', 'lavfi', '-t', String(s), '-i', src);
  const concat = sources.map((_, i) => `[${i}:v]format=yuv420p,setsar=1[v${i}]`).join(';') + ';' + sources.map((_, i) => `[v${i}]`).join('') + `concat=n=${sources.length}:v=1:a=0[out]`;
  execFileSync(ffmpegPath(), ['-v', 'error', '-y', ...inputs, '-filter_complex', concat, '-map', '[out]', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', file], { stdio: ['ignore', 'ignore', 'ignore'] });
  return file;
}

const secs = (ms) => +((ms ?? 0) / 1000).toFixed(1);
const cores = availableParallelism();
const summary = (m, extra = {}) => ({
  seconds: +m.seconds.toFixed(1),
  fps: +(frames / m.seconds).toFixed(1),
  cpuSeconds: +m.cpu.toFixed(1),
  cpuBoundFps: +(frames / (m.cpu / cores)).toFixed(1),
  cpu: m.split,
  load: m.load,
  ...extra,
});

if (args.score) {
  // Scores a plan written before (--keep): no detection, no rendering.
  console.log(JSON.stringify(score(JSON.parse(readFileSync(args.score, 'utf8'))), null, 2));
  process.exit(0);
}
console.error('measuring …');
if (args['plan-only']) {
  // Quick look at what the planner makes of the clip (no rendering): coverage figures and the pattern clip.
  const m = await measure('plan only', () => engine.planRedaction({ input: clip, options: planOptions }));
  if (args.keep) writeFileSync(path.join(args.out, 'plan-only.plan.json'), JSON.stringify(m.result));
  console.log(JSON.stringify({ plan: summary(m, score(m.result)), patterns: await falseDetections(engine, planOptions) }, null, 2));
  process.exit(0);
}


const ff = ffmpegPath();
const baseline = await measure('baseline decode → re-encode', async () =>
  execFileSync(ff, ['-v', 'error', '-y', '-i', clip, '-an', '-c:v', 'libx264', '-preset', encoder.preset, '-crf', String(encoder.crf), '-pix_fmt', 'yuv420p', path.join(args.out, 'baseline.mp4')]),
);

const onePassTimings = {};
const onePass = await measure('one pass (redact)', () =>
  engine.redact({ input: clip, options: planOptions, style: 'pixelate', output: path.join(args.out, 'corridor.redacted.mp4'), encoder, timings: onePassTimings }),
);
const report = {
  date: new Date().toISOString().slice(0, 10),
  machine: { cores, loadBefore: baseline.load.split('→')[0] },
  clip: { width: W, height: H, fps: FPS, seconds: SECONDS, frames, people: cast.length },
  settings: { detectEvery, minFaceHeight, workers: workers ?? 'default', motion: planOptions.motion ?? 'default', encoder: `libx264 ${encoder.preset} crf ${encoder.crf}` },
  baseline: summary(baseline, { bytes: statSync(path.join(args.out, 'baseline.mp4')).size }),
  onePass: summary(onePass, {
    passes: onePass.result.passes,
    ...(onePass.result.reason ? { reason: onePass.result.reason } : {}),
    ratioToBaseline: +(onePass.seconds / baseline.seconds).toFixed(2),
    ...score(onePass.result.plan),
    bytes: onePass.result.render.bytes,
    time: {
      decodeWait: secs(onePassTimings.decode),
      detect: secs(onePassTimings.detect),
      detectCpu: secs(onePassTimings.detectCpu),
      detectWait: secs(onePassTimings.detectWait),
      track: secs(onePassTimings.track),
      paint: secs(onePassTimings.paint),
      encodeWait: secs(onePassTimings.encode),
    },
    ...(onePassTimings.gatedFrames !== undefined ? { motion: { gatedFrames: +onePassTimings.gatedFrames.toFixed(2), meanAreaWhenGated: +onePassTimings.gatedArea.toFixed(2) } } : {}),
  }),
};

/** Faces "found" on the pattern clip: tracks of the plan and the detections in them. */
async function falseDetections(lib, options) {
  const patterns = patternClip();
  const plan = await lib.planRedaction({ input: patterns, options });
  return { tracks: plan.tracks.length, detections: plan.tracks.reduce((s, t) => s + (t.detections ?? 0), 0), frames: plan.input.frames };
}
report.patterns = await falseDetections(engine, planOptions);
if (args.keep) writeFileSync(path.join(args.out, 'one-pass.plan.json'), JSON.stringify(onePass.result.plan));

async function planThenRender(label, lib, options) {
  const planTimings = {};
  const renderTimings = {};
  const m = await measure(label, async () => {
    const plan = await lib.planRedaction({ input: clip, options, timings: planTimings });
    const render = await lib.renderRedaction({ input: clip, plan, style: 'pixelate', output: path.join(args.out, `${label.replace(/\W+/g, '-')}.mp4`), encoder, timings: renderTimings });
    return { plan, render };
  });
  return summary(m, {
    ratioToBaseline: +(m.seconds / baseline.seconds).toFixed(2),
    ...score(m.result.plan),
    time: {
      decodeWait: secs((planTimings.decode ?? 0) + (renderTimings.decode ?? 0)),
      detect: secs(planTimings.detect),
      track: secs(planTimings.track),
      paint: secs(renderTimings.paint),
      encodeWait: secs(renderTimings.encode),
    },
  });
}

if (args['without-motion']) {
  const timings = {};
  const m = await measure('one pass, motion gating off', () =>
    engine.redact({ input: clip, options: { ...planOptions, motion: false }, style: 'pixelate', output: path.join(args.out, 'no-motion.mp4'), encoder, timings }),
  );
  report.onePassWithoutMotion = summary(m, { ...score(m.result.plan), time: { detect: secs(timings.detect), detectCpu: secs(timings.detectCpu), encodeWait: secs(timings.encode) } });
}
if (args['two-pass']) report.twoPass = await planThenRender('two passes', engine, planOptions);
if (args.previous) {
  const previous = await import(pathToFileURL(path.resolve(args.previous, 'dist/core/redaction/index.js')).href);
  report.previous = await planThenRender('previous engine', previous, { detectEvery, minFaceHeight });
  report.previous.patterns = await falseDetections(previous, { detectEvery, minFaceHeight });
  report.onePass.speedupOverPrevious = +(report.previous.seconds / report.onePass.seconds).toFixed(2);
}
console.log(JSON.stringify(report, null, 2));
if (!args.keep && !args.reuse) rmSync(args.out, { recursive: true, force: true });
