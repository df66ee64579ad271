// Rendering a plan: decode the range, make every planned region unrecognisable in every frame, re-encode H.264 at
// full size and the clip's frame rate. Raw frames pass through Node between two ffmpeg processes, because a filter
// graph of the 2018 static ffmpeg cannot move a mosaic box every frame. Audio is left out unless asked.
// redact.ts renders while it plans, in one pass; it shares the encoder and the painting below.
import { once } from 'node:events';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { loadProcesses, streamTool } from '../media/index.js';
import type { Box, Frame } from './detect/index.js';
import { paintBox, paintMask, rasterisePolygon, type RasterMask, type RedactionStyle } from './paint.js';
import { boxAt, planSha256, type PlanTrack, type RedactionPlan } from './plan.js';
import { sha256File } from './planner.js';
import { progressMeter, type ProgressCallback } from './progress.js';
import { decodeFrames, FramePool, probeClip, rangeInputArgs, stopped, tools as resolveTools, type ClipInfo, type Tools } from './video.js';
import { frameBytes } from './detect/image.js';
import { TOOL } from './tool.js';

export interface EncoderSettings {
  /** x264 preset; default veryfast (see docs/redaction.md: its speed and size against the other presets). */
  preset?: string;
  /** x264 constant rate factor; default 18 (visually lossless for evidence). */
  crf?: number;
}

export interface RenderRequest {
  input: string;
  plan: RedactionPlan;
  style?: RedactionStyle;
  /** Track ids left visible (an access request: the requester's own child). */
  keepTracks?: string[];
  keepAudio?: boolean;
  output: string;
  encoder?: EncoderSettings;
  ffmpeg?: { path?: string; ffprobe?: string };
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Filled with where the time went (milliseconds), for the benchmark. */
  timings?: Record<string, number>;
}

export interface RenderResult {
  output: string;
  sha256: string;
  bytes: number;
  frames: number;
  durationSeconds: number;
  width: number;
  height: number;
  fps: { num: number; den: number };
  style: RedactionStyle;
  planSha256: string;
  keptTracks: string[];
  redactedTracks: number;
  masks: number;
  audio: boolean;
  encoder: string;
  models: RedactionPlan['detection']['models'];
  tool: { name: string; version: string };
}

/** A region to make unrecognisable in one frame. */
export interface Region {
  box: Box;
  kind: PlanTrack['kind'];
}

/** Paints the masks and the regions of one frame, in place. */
export function paintFrame(frame: Frame, masks: readonly RasterMask[], regions: readonly Region[], style: RedactionStyle): void {
  // Masks before the regions (a mosaic block across a mask's edge must not average what the mask hides) and after
  // them (a mask stays solid where a mosaic overlaps it).
  for (const m of masks) paintMask(frame, m);
  for (const r of regions) paintBox(frame, r.box, r.kind === 'region' ? 'fill' : style);
  if (regions.length > 0) for (const m of masks) paintMask(frame, m);
}

/** The regions of a frame according to a plan's tracks. */
export function regionsAt(tracks: readonly Pick<PlanTrack, 'kind' | 'keyframes'>[], frame: number): Region[] {
  const out: Region[] = [];
  for (const tr of tracks) {
    const box = boxAt(tr as PlanTrack, frame);
    if (box) out.push({ box, kind: tr.kind });
  }
  return out;
}

export interface Encoder {
  /**
   * Writes one painted frame; resolves when the encoder can take the next. `written` is called once the frame's
   * buffer has been handed to the encoder and may be reused.
   */
  write(frame: Frame, written?: () => void): Promise<void>;
  /** Ends the input, waits for the encoder and moves the file into place. */
  finish(): Promise<void>;
  /** Stops the encoder and removes its partial file. */
  abort(): Promise<void>;
  readonly description: string;
  readonly audio: boolean;
  /** Milliseconds spent waiting for the encoder to take frames or to finish. */
  readonly waitMs: number;
}

/**
 * Starts an ffmpeg that encodes raw yuv420p frames of the clip to H.264 in `output` (via a partial file next to it,
 * renamed at the end), with the clip's audio of the range when asked.
 */
export function openEncoder(t: Tools, info: ClipInfo, options: { input: string; output: string; start: number; frames: number; style: RedactionStyle; keepAudio: boolean; settings?: EncoderSettings | undefined }): Encoder {
  const fps = info.fps.num / info.fps.den;
  const audio = Boolean(options.keepAudio && info.hasAudio);
  const preset = options.settings?.preset ?? 'veryfast';
  const crf = options.settings?.crf ?? 18;
  const rate = `${info.fps.num}/${info.fps.den}`;
  const { output } = options;
  const tmp = path.join(path.dirname(output), `.${path.basename(output)}.partial-${process.pid}`);
  const child = withTopPad(() => streamTool(
    t.ffmpeg,
    [
      '-hide_banner', '-nostdin', '-v', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${info.width}x${info.height}`, '-r', rate, '-i', 'pipe:0',
      ...(audio ? rangeInputArgs(options.input, { start: options.start, duration: options.frames / fps }) : []),
      '-map', '0:v:0', ...(audio ? ['-map', '1:a:0', '-c:a', 'aac', '-b:a', '128k'] : ['-an']),
      '-c:v', 'libx264', '-preset', preset, '-crf', String(crf), '-pix_fmt', 'yuv420p', '-r', rate,
      '-map_metadata', '-1', '-metadata', `comment=redacted by ${TOOL.name} ${TOOL.version} (${options.style})`,
      '-movflags', '+faststart', '-f', 'mp4', tmp,
    ],
    { stdin: true },
  ));
  const stdin = child.stdin!;
  let gone = false;
  let waitMs = 0;
  stdin.on('error', () => {
    gone = true;
  });
  return {
    description: `libx264 preset ${preset} crf ${crf}`,
    audio,
    get waitMs() {
      return waitMs;
    },
    async write(frame, written) {
      const t0 = performance.now();
      // A failed encoder says why when it is awaited.
      if (gone) await child.done;
      const ready = stdin.write(frame.data, written && (() => written()));
      if (!ready) await Promise.race([once(stdin, 'drain'), child.done]);
      waitMs += performance.now() - t0;
    },
    async finish() {
      const t0 = performance.now();
      stdin.end();
      await child.done;
      waitMs += performance.now() - t0;
      await rename(tmp, output);
    },
    async abort() {
      child.kill();
      await child.done.catch(() => undefined);
      await rm(tmp, { force: true });
    },
  };
}

/**
 * Runs `spawn` with MALLOC_TOP_PAD_ set for the child (unless the user set it). ffmpeg's raw-video input allocates
 * a new buffer for every frame; glibc gives the memory back to the kernel after each and takes it again for the
 * next, and on this virtual machine every new page faults: seven of the encoder's eighteen CPU-seconds per minute of
 * 720p. Keeping 64 MB at the top of the heap stops that (18 → 10 CPU-s). Other C libraries ignore the variable.
 * The process environment is changed only while the child is spawned (synchronously).
 */
function withTopPad<T>(spawn: () => T): T {
  const key = 'MALLOC_TOP_PAD_';
  if (process.env[key] !== undefined) return spawn();
  process.env[key] = String(64 * 1024 * 1024);
  try {
    return spawn();
  } finally {
    delete process.env[key];
  }
}

/** Checks the kept tracks and that the clip is the one the plan was made for. */
export async function checkPlanInput(t: Tools, input: string, plan: RedactionPlan, keep: ReadonlySet<string>): Promise<ClipInfo> {
  const ids = new Set(plan.tracks.map((tr) => tr.id));
  const unknown = [...keep].filter((id) => !ids.has(id));
  if (unknown.length) {
    throw new UsageError('redaction.unknown-track', `The plan has no track ${unknown.join(', ')}; see the contact sheet for the track ids.`);
  }
  const info = await probeClip(t, input);
  if (info.width !== plan.input.width || info.height !== plan.input.height || info.fps.num * plan.input.fps.den !== plan.input.fps.num * info.fps.den) {
    throw new UsageError('redaction.plan-mismatch', `The plan was made for a ${plan.input.width}x${plan.input.height} clip at ${plan.input.fps.num}/${plan.input.fps.den} fps, not for ${input} (${info.width}x${info.height} at ${info.fps.num}/${info.fps.den}); make the plan for this clip.`);
  }
  if (plan.input.sha256 && (await sha256File(input)) !== plan.input.sha256) {
    throw new UsageError('redaction.plan-mismatch', `The plan was made for another file than ${input} (its sha256 differs); make the plan for this clip.`);
  }
  return info;
}

/** The result of a finished render, with the output's hash. */
export async function renderResult(output: string, info: ClipInfo, plan: RedactionPlan, frames: number, style: RedactionStyle, keep: ReadonlySet<string>, encoder: Encoder): Promise<RenderResult> {
  const bytes = (await stat(output)).size;
  return {
    output,
    sha256: await sha256File(output),
    bytes,
    frames,
    durationSeconds: frames / (info.fps.num / info.fps.den),
    width: info.width,
    height: info.height,
    fps: info.fps,
    style,
    planSha256: planSha256(plan),
    keptTracks: [...keep],
    redactedTracks: plan.tracks.filter((tr) => !keep.has(tr.id)).length,
    masks: plan.masks.length,
    audio: encoder.audio,
    encoder: encoder.description,
    models: plan.detection.models,
    tool: TOOL,
  };
}

export function tooShort(input: string, got: number, frames: number): UsageError {
  return new UsageError('redaction.short-clip', `${input} gave ${got} frames where the plan has ${frames}; the plan was made for a longer range or another clip.`);
}

export async function renderRedaction(request: RenderRequest): Promise<RenderResult> {
  const { plan, input, output } = request;
  const style = request.style ?? 'pixelate';
  const keep = new Set(request.keepTracks ?? []);
  const t = resolveTools({ ...(request.ffmpeg?.path ? { ffmpeg: request.ffmpeg.path } : {}), ...(request.ffmpeg?.ffprobe ? { ffprobe: request.ffmpeg.ffprobe } : {}) });
  const info = await checkPlanInput(t, input, plan, keep);
  const tracks = plan.tracks.filter((tr) => !keep.has(tr.id));
  const masks = plan.masks.map((m) => rasterisePolygon(m.polygon, info.width, info.height));
  const fps = info.fps.num / info.fps.den;
  const frames = plan.input.frames;
  const range = { start: plan.input.startSeconds, duration: (frames + 0.5) / fps };
  await loadProcesses();
  const encoder = openEncoder(t, info, { input, output, start: range.start, frames, style, keepAudio: Boolean(request.keepAudio), settings: request.encoder });
  const meter = progressMeter('render', frames, request.onProgress);
  const timing = { decode: 0, paint: 0, encode: 0 };
  let index = 0;
  let ok = false;
  try {
    const pool = new FramePool(frameBytes(info.width, info.height));
    const iterator = decodeFrames(t, input, info, range, { pool, ...(request.signal ? { signal: request.signal } : {}) })[Symbol.asyncIterator]();
    while (index < frames) {
      let t0 = performance.now();
      const next = await iterator.next();
      timing.decode += performance.now() - t0;
      if (next.done) break;
      t0 = performance.now();
      paintFrame(next.value, masks, regionsAt(tracks, index), style);
      timing.paint += performance.now() - t0;
      const data = next.value.data;
      await encoder.write(next.value, () => pool.release(data));
      index++;
      meter.tick(index);
    }
    await iterator.return?.(undefined);
    if (request.signal?.aborted) throw stopped();
    if (index < frames) throw tooShort(input, index, frames);
    await encoder.finish();
    ok = true;
  } finally {
    if (!ok) await encoder.abort();
  }
  timing.encode = encoder.waitMs;
  meter.end(index);
  if (request.timings) Object.assign(request.timings, timing);
  return renderResult(output, info, plan, index, style, keep, encoder);
}
