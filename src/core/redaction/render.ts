// Rendering a plan: decode the range, make every planned region unrecognisable in every frame, re-encode H.264 at
// full size and the clip's frame rate. Raw frames pass through Node between two ffmpeg processes, because a filter
// graph of the 2018 static ffmpeg cannot move a mosaic box every frame. Audio is left out unless asked.
import { once } from 'node:events';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { streamTool } from '../media/index.js';
import { paintBox, paintMask, rasterisePolygon, type RedactionStyle } from './paint.js';
import { boxAt, planSha256, type RedactionPlan } from './plan.js';
import { sha256File } from './planner.js';
import { progressMeter, type ProgressCallback } from './progress.js';
import { decodeFrames, probeClip, rangeInputArgs, tools as resolveTools } from './video.js';
import { TOOL } from './tool.js';

export interface RenderRequest {
  input: string;
  plan: RedactionPlan;
  style?: RedactionStyle;
  /** Track ids left visible (an access request: the requester's own child). */
  keepTracks?: string[];
  keepAudio?: boolean;
  output: string;
  /** x264 settings; defaults: preset veryfast, crf 18 (visually lossless for evidence). */
  encoder?: { preset?: string; crf?: number };
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

export async function renderRedaction(request: RenderRequest): Promise<RenderResult> {
  const { plan, input, output } = request;
  const style = request.style ?? 'pixelate';
  const keep = new Set(request.keepTracks ?? []);
  const ids = new Set(plan.tracks.map((t) => t.id));
  const unknown = [...keep].filter((id) => !ids.has(id));
  if (unknown.length) {
    throw new UsageError('redaction.unknown-track', `The plan has no track ${unknown.join(', ')}; see the contact sheet for the track ids.`);
  }
  const t = resolveTools({ ...(request.ffmpeg?.path ? { ffmpeg: request.ffmpeg.path } : {}), ...(request.ffmpeg?.ffprobe ? { ffprobe: request.ffmpeg.ffprobe } : {}) });
  const info = await probeClip(t, input);
  if (info.width !== plan.input.width || info.height !== plan.input.height || info.fps.num * plan.input.fps.den !== plan.input.fps.num * info.fps.den) {
    throw new UsageError('redaction.plan-mismatch', `The plan was made for a ${plan.input.width}x${plan.input.height} clip at ${plan.input.fps.num}/${plan.input.fps.den} fps, not for ${input} (${info.width}x${info.height} at ${info.fps.num}/${info.fps.den}); make the plan for this clip.`);
  }
  if (plan.input.sha256 && (await sha256File(input)) !== plan.input.sha256) {
    throw new UsageError('redaction.plan-mismatch', `The plan was made for another file than ${input} (its sha256 differs); make the plan for this clip.`);
  }

  const tracks = plan.tracks.filter((tr) => !keep.has(tr.id));
  const masks = plan.masks.map((m) => rasterisePolygon(m.polygon, info.width, info.height));
  const fps = info.fps.num / info.fps.den;
  const frames = plan.input.frames;
  const audio = Boolean(request.keepAudio && info.hasAudio);
  const preset = request.encoder?.preset ?? 'veryfast';
  const crf = request.encoder?.crf ?? 18;
  const rate = `${info.fps.num}/${info.fps.den}`;
  const range = { start: plan.input.startSeconds, duration: (frames + 0.5) / fps };
  const tmp = path.join(path.dirname(output), `.${path.basename(output)}.partial-${process.pid}`);
  const encoder = streamTool(
    t.ffmpeg,
    [
      '-hide_banner', '-nostdin', '-v', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${info.width}x${info.height}`, '-r', rate, '-i', 'pipe:0',
      ...(audio ? rangeInputArgs(input, { start: range.start, duration: frames / fps }) : []),
      '-map', '0:v:0', ...(audio ? ['-map', '1:a:0', '-c:a', 'aac', '-b:a', '128k'] : ['-an']),
      '-c:v', 'libx264', '-preset', preset, '-crf', String(crf), '-pix_fmt', 'yuv420p', '-r', rate,
      '-map_metadata', '-1', '-metadata', `comment=redacted by ${TOOL.name} ${TOOL.version} (${style})`,
      '-movflags', '+faststart', '-f', 'mp4', tmp,
    ],
    { stdin: true },
  );
  const stdin = encoder.stdin!;
  let encoderGone = false;
  stdin.on('error', () => {
    encoderGone = true;
  });
  const meter = progressMeter('render', frames, request.onProgress);
  const timing = { decode: 0, paint: 0, encode: 0 };
  let index = 0;
  let ok = false;
  try {
    const iterator = decodeFrames(t, input, info, range, request.signal ? { signal: request.signal } : {})[Symbol.asyncIterator]();
    while (index < frames) {
      let t0 = performance.now();
      const next = await iterator.next();
      timing.decode += performance.now() - t0;
      if (next.done) break;
      const frame = next.value;
      t0 = performance.now();
      // Masks before the regions (a mosaic block across a mask's edge must not average what the mask hides) and
      // after them (a mask stays solid black where a mosaic overlaps it).
      for (const m of masks) paintMask(frame, m);
      for (const tr of tracks) {
        const box = boxAt(tr, index);
        if (box) paintBox(frame, box, tr.kind === 'region' ? 'fill' : style);
      }
      for (const m of masks) paintMask(frame, m);
      timing.paint += performance.now() - t0;
      t0 = performance.now();
      if (encoderGone) break;
      if (!stdin.write(frame.data)) await Promise.race([once(stdin, 'drain'), encoder.done]);
      timing.encode += performance.now() - t0;
      index++;
      meter.tick(index);
    }
    await iterator.return?.(undefined);
    const t0 = performance.now();
    stdin.end();
    await encoder.done;
    timing.encode += performance.now() - t0;
    if (index < frames) {
      throw new UsageError('redaction.short-clip', `${input} gave ${index} frames where the plan has ${frames}; the plan was made for a longer range or another clip.`);
    }
    await rename(tmp, output);
    ok = true;
  } finally {
    if (!ok) {
      encoder.kill();
      await encoder.done.catch(() => undefined);
      await rm(tmp, { force: true });
    }
  }
  meter.end(index);
  if (request.timings) Object.assign(request.timings, timing);
  const bytes = (await stat(output)).size;
  return {
    output,
    sha256: await sha256File(output),
    bytes,
    frames: index,
    durationSeconds: index / fps,
    width: info.width,
    height: info.height,
    fps: info.fps,
    style,
    planSha256: planSha256(plan),
    keptTracks: [...keep],
    redactedTracks: tracks.length,
    masks: masks.length,
    audio,
    encoder: `libx264 preset ${preset} crf ${crf}`,
    models: plan.detection.models,
    tool: TOOL,
  };
}
