// Synthetic footage with real faces and ground truth for every frame, for the redaction tests and bench/redact.
// The faces are the group photos that ship in the @vladmandic/face-api npm package (demo/sample1-6.jpg). Their face
// boxes below were found once at full resolution and checked by eye; the ground-truth box of a face is that box
// widened (5 % each side, 15 % above for the forehead, 5 % below), scaled to the face's size in the scene.
// Plain JavaScript, so the benchmark runs it without a build step.
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** [sample image, x, y, w, h] at the image's own resolution (1920 px wide). */
export const FACES = [
  [1, 1490, 257, 168, 168], [1, 847, 463, 192, 192], [1, 412, 394, 211, 211],
  [2, 888, 261, 194, 194], [2, 1455, 188, 199, 199], [2, 361, 171, 237, 238],
  [3, 587, 382, 217, 217], [3, 1063, 249, 250, 250], [3, 1466, 332, 233, 233],
  [4, 676, 132, 162, 162], [4, 989, 223, 195, 195], [4, 233, 248, 192, 192], [4, 1284, 206, 165, 165],
  [5, 768, 154, 183, 184], [5, 1105, 254, 188, 188], [5, 354, 927, 237, 237], [5, 574, 465, 197, 197], [5, 1407, 438, 221, 221],
  [6, 672, 384, 233, 233], [6, 1472, 311, 238, 238], [6, 236, 537, 227, 227], [6, 1141, 346, 239, 238],
];

const GT = { side: 0.05, top: 0.15, bottom: 0.05 };
/** The head-and-shoulders patch cut around a face, in face sizes. */
const PATCH = { side: 0.75, top: 0.9, bottom: 1.6 };

export function ffmpegPath() {
  return process.env.FFMPEG_PATH || require('@ffmpeg-installer/ffmpeg').path;
}

function samplePath(n) {
  const root = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
  return path.join(root, 'demo', `sample${n}.jpg`);
}

/** Decodes the sample images once: { n: { width, height, rgb, levels } } with a box-filtered mip chain. */
export function loadImages(ff = ffmpegPath()) {
  const images = new Map();
  for (const n of new Set(FACES.map((f) => f[0]))) {
    const file = samplePath(n);
    const probe = spawnSyncSize(ff, file);
    const rgb = execFileSync(ff, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 28 });
    const levels = [{ width: probe.width, height: probe.height, rgb: new Uint8Array(rgb) }];
    while (levels[levels.length - 1].width > 64) levels.push(half(levels[levels.length - 1]));
    images.set(n, { levels });
  }
  return images;
}

function spawnSizeFromStderr(text) {
  const m = /, (\d{2,5})x(\d{2,5})[, ]/.exec(text);
  if (!m) throw new Error('cannot read image size');
  return { width: Number(m[1]), height: Number(m[2]) };
}

function spawnSyncSize(ff, file) {
  try {
    execFileSync(ff, ['-hide_banner', '-i', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    return spawnSizeFromStderr(String(error.stderr));
  }
  throw new Error('ffmpeg -i unexpectedly succeeded');
}

function half(l) {
  const width = l.width >> 1;
  const height = l.height >> 1;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        const a = ((2 * y) * l.width + 2 * x) * 3 + c;
        const b = a + l.width * 3;
        rgb[(y * width + x) * 3 + c] = (l.rgb[a] + l.rgb[a + 3] + l.rgb[b] + l.rgb[b + 3] + 2) >> 2;
      }
  return { width, height, rgb };
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A corridor-like static background: wall, floor, doors, a little texture. */
export function background(width, height, seed = 1) {
  const rnd = random(seed);
  const rgb = new Uint8Array(width * height * 3);
  const horizon = Math.round(height * 0.62);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const wall = y < horizon;
      const base = wall ? [196 - y * 0.05, 190 - y * 0.05, 176] : [120 + (y - horizon) * 0.1, 112, 100];
      const n = (rnd() - 0.5) * 10;
      rgb[o] = base[0] + n;
      rgb[o + 1] = base[1] + n;
      rgb[o + 2] = base[2] + n;
    }
  const doors = Math.max(2, Math.round(width / 240));
  for (let d = 0; d < doors; d++) {
    const x0 = Math.round(((d + 0.3) / doors) * width);
    const w = Math.round(width / 14);
    const y0 = Math.round(height * 0.22);
    for (let y = y0; y < horizon; y++)
      for (let x = x0; x < Math.min(width, x0 + w); x++) {
        const o = (y * width + x) * 3;
        rgb[o] = 110;
        rgb[o + 1] = 80;
        rgb[o + 2] = 60;
      }
  }
  return rgb;
}

/**
 * An actor: one face moving along key positions. keys: [{ t (seconds), x, y (face centre, px), h (face height, px) }],
 * linear between them; absent before the first and after the last key.
 */
export function actorAt(actor, t) {
  const k = actor.keys;
  if (t < k[0].t || t > k[k.length - 1].t) return undefined;
  let i = 0;
  while (i < k.length - 2 && k[i + 1].t < t) i++;
  const a = k[i];
  const b = k[i + 1] ?? a;
  const u = b.t === a.t ? 0 : (t - a.t) / (b.t - a.t);
  return { x: a.x + (b.x - a.x) * u, y: a.y + (b.y - a.y) * u, h: a.h + (b.h - a.h) * u };
}

/** Ground-truth face box of an actor at a state { x, y, h }. */
export function truthBox(actor, s) {
  const [, , , fw, fh] = FACES[actor.face];
  const h = s.h;
  const w = (h * fw) / fh;
  return { x: s.x - w / 2 - w * GT.side, y: s.y - h / 2 - h * GT.top, w: w * (1 + 2 * GT.side), h: h * (1 + GT.top + GT.bottom) };
}

/** Where an actor's head-and-shoulders patch lies in the scene: { cx, cy, dw, dh } (top left, size). */
function patchRect(actor, s) {
  const [, fx, fy, fw, fh] = FACES[actor.face];
  const scale = s.h / fh;
  const px0 = fx - PATCH.side * fw;
  const py0 = fy - PATCH.top * fh;
  return { cx: s.x - (fx + fw / 2 - px0) * scale, cy: s.y - (fy + fh / 2 - py0) * scale, dw: fw * (1 + 2 * PATCH.side) * scale, dh: fh * (1 + PATCH.top + PATCH.bottom) * scale };
}

/** Whether a scene point is under the opaque part of a patch. */
function underPatch(r, x, y) {
  const u = (x - r.cx) / r.dw;
  const v = (y - r.cy) / r.dh;
  return Math.hypot((u - 0.5) * 2, (v - 0.5) * 2) < 0.85;
}

/** Share of a ground-truth box that is inside the picture and not hidden behind a patch painted over it. */
function visibleOf(box, over, width, height) {
  let seen = 0;
  const n = 10;
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const x = box.x + ((i + 0.5) / n) * box.w;
      const y = box.y + ((j + 0.5) / n) * box.h;
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      if (!over.some((r) => underPatch(r, x, y))) seen++;
    }
  return seen / (n * n);
}

/** Paints an actor's head-and-shoulders patch into the frame (RGB), feathered at its edge. */
function paintActor(frame, width, height, images, actor, s) {
  const [n, fx, fy, fw, fh] = FACES[actor.face];
  const scale = s.h / fh; // scene px per source px
  const { levels } = images.get(n);
  let li = 0;
  while (li + 1 < levels.length && scale * 2 ** (li + 1) <= 1) li++;
  const lv = levels[li];
  const k = 2 ** li; // source px per level px
  const px0 = fx - PATCH.side * fw;
  const py0 = fy - PATCH.top * fh;
  const pw = fw * (1 + 2 * PATCH.side);
  const ph = fh * (1 + PATCH.top + PATCH.bottom);
  // Scene rectangle of the patch.
  const cx = s.x - (fx + fw / 2 - px0) * scale;
  const cy = s.y - (fy + fh / 2 - py0) * scale;
  const dw = pw * scale;
  const dh = ph * scale;
  const x0 = Math.max(0, Math.floor(cx));
  const y0 = Math.max(0, Math.floor(cy));
  const x1 = Math.min(width, Math.ceil(cx + dw));
  const y1 = Math.min(height, Math.ceil(cy + dh));
  for (let y = y0; y < y1; y++) {
    const v = (y + 0.5 - cy) / dh; // 0..1 in patch
    for (let x = x0; x < x1; x++) {
      const u = (x + 0.5 - cx) / dw;
      // Feathered ellipse.
      const r = Math.hypot((u - 0.5) * 2, (v - 0.5) * 2);
      if (r >= 1) continue;
      const alpha = r < 0.85 ? 1 : (1 - r) / 0.15;
      const sx = (px0 + u * pw) / k;
      const sy = (py0 + v * ph) / k;
      const ix = Math.min(lv.width - 2, Math.max(0, Math.floor(sx)));
      const iy = Math.min(lv.height - 2, Math.max(0, Math.floor(sy)));
      const ax = Math.min(1, Math.max(0, sx - ix));
      const ay = Math.min(1, Math.max(0, sy - iy));
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const p00 = lv.rgb[(iy * lv.width + ix) * 3 + c];
        const p10 = lv.rgb[(iy * lv.width + ix + 1) * 3 + c];
        const p01 = lv.rgb[((iy + 1) * lv.width + ix) * 3 + c];
        const p11 = lv.rgb[((iy + 1) * lv.width + ix + 1) * 3 + c];
        const val = (p00 * (1 - ax) + p10 * ax) * (1 - ay) + (p01 * (1 - ax) + p11 * ax) * ay;
        frame[o + c] = frame[o + c] * (1 - alpha) + val * alpha;
      }
    }
  }
}

/**
 * Renders the scene to an H.264 file and returns the ground truth: truth[frame] = [{ actor, box, h, visible }]
 * (boxes may reach past the picture's edges; `visible` is the share inside the picture and not hidden behind
 * another actor). Optional audio (a tone) to check that it is stripped.
 */
export async function renderScene({ file, width, height, fps, seconds, actors, audio = false, seed = 1, preset = 'veryfast', crf = 20 }) {
  const ff = ffmpegPath();
  const images = loadImages(ff);
  const bg = background(width, height, seed);
  const frames = Math.round(seconds * fps);
  const args = ['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps), '-i', 'pipe:0'];
  if (audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`);
  args.push('-map', '0:v', ...(audio ? ['-map', '1:a', '-c:a', 'aac', '-shortest'] : []), '-c:v', 'libx264', '-preset', preset, '-crf', String(crf), '-g', String(fps * 2), '-pix_fmt', 'yuv420p', file);
  const child = spawn(ff, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exit ${code}: ${stderr}`)))));
  const truth = [];
  const order = actors.map((a, i) => i).sort((a, b) => (actors[a].z ?? 0) - (actors[b].z ?? 0));
  for (let f = 0; f < frames; f++) {
    const t = f / fps;
    const frame = Uint8Array.from(bg);
    const here = [];
    const states = order.map((i) => [i, actorAt(actors[i], t)]).filter(([, s]) => s);
    for (const [k, [i, s]] of states.entries()) {
      paintActor(frame, width, height, images, actors[i], s);
      const box = truthBox(actors[i], s);
      const over = states.slice(k + 1).map(([j, o]) => patchRect(actors[j], o));
      here.push({ actor: i, box, h: s.h, visible: visibleOf(box, over, width, height) });
    }
    truth.push(here);
    if (!child.stdin.write(frame)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  await exited;
  return { truth, frames };
}

/** Share of a ground-truth box's visible area that the boxes cover (sampled every `step` px). */
export function coverage(box, covering, width, height, step = 1) {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.w));
  const y1 = Math.min(height, Math.ceil(box.y + box.h));
  let total = 0;
  let covered = 0;
  for (let y = y0; y < y1; y += step)
    for (let x = x0; x < x1; x += step) {
      const px = x + 0.5;
      const py = y + 0.5;
      if (px < box.x || py < box.y || px > box.x + box.w || py > box.y + box.h) continue;
      total++;
      if (covering.some((c) => px >= c.x && px < c.x + c.w && py >= c.y && py < c.y + c.h)) covered++;
    }
  return { total, covered, share: total ? covered / total : 1 };
}

/** Visible share of a box inside the picture. */
export function visibleShare(box, width, height) {
  const w = Math.max(0, Math.min(width, box.x + box.w) - Math.max(0, box.x));
  const h = Math.max(0, Math.min(height, box.y + box.h) - Math.max(0, box.y));
  return (w * h) / (box.w * box.h);
}
