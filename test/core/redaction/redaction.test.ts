// Redaction on real footage made here: faces from the photos in @vladmandic/face-api moving, growing, shrinking and
// leaving a 640×360 clip; the real detector (ONNX Runtime), the real ffmpeg, pixels read back from the output.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockSize,
  boxAt,
  openDetector,
  parsePlan,
  planRedaction,
  readPlan,
  renderRedaction,
  writeContactSheet,
  writePlan,
  type Box,
  type Detector,
  type RedactionPlan,
} from '../../../src/core/redaction/index.js';
import { paintBox } from '../../../src/core/redaction/paint.js';
import { resolveTool } from '../../../src/core/media/index.js';
// A plain JavaScript helper, shared with bench/redact.
import { coverage, renderScene } from '../../helpers/face-scene.mjs';
import { trackOf as trackFollowing } from '../../helpers/pixels.js';

const require = createRequire(import.meta.url);
const W = 640;
const H = 360;
const FPS = 25;
const SECONDS = 3;
const FRAMES = FPS * SECONDS;

type Truth = { actor: number; box: Box; h: number; visible: number }[][];

const ACTORS = [
  // A: walks in from the left edge towards the camera (grows) and leaves on the right, along the top.
  { face: 3, keys: [{ t: 0, x: -20, y: 60, h: 22 }, { t: 2.2, x: 520, y: 75, h: 64 }, { t: 3, x: 700, y: 80, h: 70 }] },
  // B: walks away (shrinks), from large to small, lower down.
  { face: 13, keys: [{ t: 0, x: 150, y: 270, h: 90 }, { t: 3, x: 330, y: 180, h: 24 }] },
];
// Where detection is forced to miss: every detection between these frames is thrown away.
const MISS_FROM = 21;
const MISS_TO = 45;
const MASK = { name: 'raam', polygon: [[0.82, 0.02], [0.98, 0.02], [0.98, 0.3], [0.82, 0.3]] as [number, number][] };

let dir: string;
let clip: string;
let truth: Truth;
let plan: RedactionPlan;
let source: Uint8Array[];
let missed = 0;
let foundInMissWindow = 0;

const ffmpeg = () => resolveTool('ffmpeg').path;
const ffprobe = () => resolveTool('ffprobe').path;

/** Luma planes of every frame of a clip. */
function lumaFrames(file: string): Uint8Array[] {
  const raw = execFileSync(ffmpeg(), ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 1 << 28 });
  const out: Uint8Array[] = [];
  for (let o = 0; o + W * H <= raw.length; o += W * H) out.push(new Uint8Array(raw.buffer, raw.byteOffset + o, W * H));
  return out;
}

/** Pixels of a box (clipped to the picture). */
function pixels(luma: Uint8Array, b: Box): number[] {
  const out: number[] = [];
  for (let y = Math.max(0, Math.ceil(b.y)); y < Math.min(H, Math.floor(b.y + b.h)); y++)
    for (let x = Math.max(0, Math.ceil(b.x)); x < Math.min(W, Math.floor(b.x + b.w)); x++) out.push(luma[y * W + x]!);
  return out;
}

const shareDark = (values: number[]) => values.filter((v) => v < 40).length / Math.max(1, values.length);
const meanAbsDiff = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / Math.max(1, a.length);

/** The real detector, with every detection in the miss window thrown away. */
async function missingDetector(): Promise<Detector> {
  const real = await openDetector({ what: ['face'] });
  return {
    ...real,
    kinds: real.kinds,
    models: real.models,
    runtime: real.runtime,
    settings: real.settings,
    async detect(frame, index, hint) {
      const found = await real.detect(frame, index, hint);
      if (index >= MISS_FROM && index <= MISS_TO) {
        missed++;
        foundInMissWindow += found.length;
        return [];
      }
      return found;
    },
    close: () => real.close(),
  };
}

/** The track that follows an actor: the one covering most of its frames. */
const trackOf = (actor: number): string => trackFollowing(plan, truth, actor, { width: W, height: H });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'toezicht-redact-'));
  clip = path.join(dir, 'gang_20261126T101500Z.mp4');
  ({ truth } = (await renderScene({ file: clip, width: W, height: H, fps: FPS, seconds: SECONDS, actors: ACTORS, audio: true })) as { truth: Truth });
  source = lumaFrames(clip);
  const detector = await missingDetector();
  try {
    plan = await planRedaction({ input: clip, masks: [MASK], detector, options: { detectEvery: 3 } });
  } finally {
    await detector.close();
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('planRedaction', () => {
  it('covers every visible face in every frame, also where the detector was made to miss', () => {
    expect(missed).toBeGreaterThanOrEqual(8);
    expect(foundInMissWindow).toBeGreaterThan(0); // the faces were there to be found: the misses were real
    expect(plan.input.frames).toBe(FRAMES);
    let faceFrames = 0;
    const bare: string[] = [];
    truth.forEach((here, f) => {
      for (const g of here) {
        if (g.visible < 0.25) continue; // a sliver at the edge
        faceFrames++;
        const boxes = plan.tracks.map((t) => boxAt(t, f)).filter((b): b is Box => Boolean(b));
        const c = coverage(g.box, boxes, W, H);
        if (c.share < 0.95) bare.push(`frame ${f} actor ${g.actor} (${Math.round(g.h)} px): ${(c.share * 100).toFixed(0)} %`);
      }
    });
    expect(faceFrames).toBeGreaterThan(120);
    expect(bare).toEqual([]);
  });

  it('records the model, the settings and the masks', () => {
    expect(plan.schema).toBe('toezicht.redaction-plan/1');
    expect(plan.detection.models[0]).toMatchObject({ name: 'blazeface', package: '@vladmandic/human', licence: 'MIT' });
    expect(plan.detection.models[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.detection.settings).toMatchObject({ face: { minFaceHeight: 16, threshold: 0.5 }, motion: { fullEvery: 8, threshold: 6 } });
    expect(plan.masks).toEqual([{ id: 'm1', name: 'raam', polygon: MASK.polygon }]);
    expect(plan.input).toMatchObject({ width: W, height: H, fps: { num: 25, den: 1 }, frames: FRAMES });
    expect(parsePlan(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
  });
});

describe('renderRedaction', () => {
  let out: Uint8Array[];
  let result: Awaited<ReturnType<typeof renderRedaction>>;
  beforeAll(async () => {
    result = await renderRedaction({ input: clip, plan, style: 'fill', output: path.join(dir, 'fill.mp4') });
    out = lumaFrames(result.output);
  }, 120_000);

  it('keeps every frame at full size and the source rate, without audio', () => {
    const probe = JSON.parse(execFileSync(ffprobe(), ['-v', 'error', '-count_frames', '-print_format', 'json', '-show_streams', result.output], { encoding: 'utf8' })) as {
      streams: { codec_type: string; codec_name: string; width?: number; height?: number; r_frame_rate?: string; nb_read_frames?: string }[];
    };
    expect(probe.streams.map((s) => s.codec_type)).toEqual(['video']);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', width: W, height: H, r_frame_rate: '25/1', nb_read_frames: String(FRAMES) });
    expect(result).toMatchObject({ frames: FRAMES, audio: false, style: 'fill', width: W, height: H });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(out).toHaveLength(FRAMES);
  });

  it('blanks every visible face in every frame of the output', () => {
    const bare: string[] = [];
    truth.forEach((here, f) => {
      for (const g of here) {
        if (g.visible < 0.25) continue;
        const dark = shareDark(pixels(out[f]!, g.box));
        if (dark < 0.95) bare.push(`frame ${f} actor ${g.actor}: ${(dark * 100).toFixed(0)} % blanked`);
      }
    });
    expect(bare).toEqual([]);
  });

  it('applies the static mask in every frame and leaves the rest of the picture alone', () => {
    const mask: Box = { x: 0.82 * W + 2, y: 0.02 * H + 2, w: 0.16 * W - 4, h: 0.28 * H - 4 };
    const wall: Box = { x: 540, y: 320, w: 80, h: 30 }; // floor where nobody passes
    for (let f = 0; f < FRAMES; f++) {
      expect(shareDark(pixels(out[f]!, mask))).toBe(1);
      expect(meanAbsDiff(pixels(out[f]!, wall), pixels(source[f]!, wall))).toBeLessThan(4);
    }
  });

  it('leaves a kept track visible and blanks the others', async () => {
    const keep = trackOf(0);
    const kept = await renderRedaction({ input: clip, plan, style: 'fill', keepTracks: [keep], output: path.join(dir, 'kept.mp4') });
    expect(kept.keptTracks).toEqual([keep]);
    const frames = lumaFrames(kept.output);
    const f = 50; // both on screen, apart
    const a = truth[f]!.find((g) => g.actor === 0)!;
    const b = truth[f]!.find((g) => g.actor === 1)!;
    expect(meanAbsDiff(pixels(frames[f]!, a.box), pixels(source[f]!, a.box))).toBeLessThan(8);
    expect(shareDark(pixels(frames[f]!, a.box))).toBeLessThan(0.2);
    expect(shareDark(pixels(frames[f]!, b.box))).toBeGreaterThan(0.95);
  });

  it('renders what a hand-edited plan says (plan → edit → render)', async () => {
    const file = path.join(dir, 'plan.json');
    await writePlan(plan, file);
    const edited = JSON.parse(readFileSync(file, 'utf8')) as RedactionPlan;
    const removed = trackOf(1);
    edited.tracks = edited.tracks.filter((t) => t.id !== removed);
    edited.tracks.push({
      id: 'bord',
      kind: 'face',
      keyframes: [
        { frame: 0, x: 20, y: 300, w: 40, h: 40, source: 'manual' },
        { frame: 74, x: 560, y: 300, w: 40, h: 40, source: 'manual' },
      ],
    });
    writeFileSync(file, JSON.stringify(edited, null, 2));
    const reread = await readPlan(file);
    const r = await renderRedaction({ input: clip, plan: reread, style: 'fill', output: path.join(dir, 'edited.mp4') });
    const frames = lumaFrames(r.output);
    const f = 37;
    const b = truth[f]!.find((g) => g.actor === 1)!;
    // The removed track's face is back; the added box is blanked where the edit puts it (halfway).
    expect(shareDark(pixels(frames[f]!, b.box))).toBeLessThan(0.2);
    expect(shareDark(pixels(frames[f]!, { x: 20 + (540 * 37) / 74 + 3, y: 303, w: 34, h: 34 }))).toBe(1);
    expect(shareDark(pixels(frames[f]!, { x: 20 + 3, y: 303, w: 34, h: 34 }))).toBeLessThan(0.2);
    const a = truth[f]!.find((g) => g.actor === 0)!;
    expect(shareDark(pixels(frames[f]!, a.box))).toBeGreaterThan(0.95);
  });

  it('refuses a kept track the plan does not have, and a plan for another clip', async () => {
    await expect(renderRedaction({ input: clip, plan, keepTracks: ['f999'], output: path.join(dir, 'x.mp4') })).rejects.toThrow(/no track f999/);
    const other = { ...plan, input: { ...plan.input, sha256: '0'.repeat(64) } };
    await expect(renderRedaction({ input: clip, plan: other, output: path.join(dir, 'x.mp4') })).rejects.toThrow(/another file/);
  });

  it('keeps the audio only when asked', async () => {
    const r = await renderRedaction({ input: clip, plan, keepAudio: true, output: path.join(dir, 'audio.mp4') });
    expect(r.audio).toBe(true);
    const types = execFileSync(ffprobe(), ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', r.output], { encoding: 'utf8' }).trim().split('\n');
    expect(types.sort()).toEqual(['audio', 'video']);
  });
});

describe('mosaic', () => {
  it('averages blocks of at least an eighth of the region height', () => {
    const width = 64;
    const height = 64;
    const data = new Uint8Array(width * height * 1.5);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 251;
    const box = { x: 8, y: 8, w: 40, h: 48 };
    paintBox({ width, height, data }, box, 'pixelate');
    const b = blockSize(box.h);
    expect(b).toBeGreaterThanOrEqual(48 / 8);
    for (let by = 8; by < 56; by += b)
      for (let bx = 8; bx < 48; bx += b) {
        const values = new Set<number>();
        for (let y = by; y < Math.min(by + b, 56); y++) for (let x = bx; x < Math.min(bx + b, 48); x++) values.add(data[y * width + x]!);
        expect(values.size).toBe(1);
      }
    expect(data[0]).toBe(0); // outside untouched
  });
});

describe('writeContactSheet', () => {
  it('writes one labelled thumbnail per track as a PNG', async () => {
    const file = path.join(dir, 'sheet.png');
    const sheet = await writeContactSheet({ plan, input: clip, output: file });
    expect(sheet.tracks.map((t) => t.id)).toEqual(plan.tracks.map((t) => t.id));
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(sheet.width);
    // ffmpeg reads it back at the size it claims.
    const raw = execFileSync(ffmpeg(), ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 26 });
    expect(raw.length).toBe(sheet.width * sheet.height * 3);
  });
});

describe('persons', () => {
  it('finds the people in a group photo', async () => {
    const photo = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample6.jpg');
    const data = execFileSync(ffmpeg(), ['-v', 'error', '-i', photo, '-vf', `scale=${W}:${H}`, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-'], { maxBuffer: 1 << 26 });
    const detector = await openDetector({ what: ['person'] });
    try {
      const found = await detector.detect({ width: W, height: H, data: new Uint8Array(data) }, 0);
      expect(found.filter((d) => d.kind === 'person').length).toBeGreaterThanOrEqual(3);
      for (const d of found) expect(d.h).toBeGreaterThan(H / 3); // whole people, not faces
    } finally {
      await detector.close();
    }
  });
});
