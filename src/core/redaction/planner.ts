// Making the plan: decode the range once, detect on every n-th frame (and the last), link the detections into
// tracks, add the camera's static masks.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UsageError } from '../errors.js';
import type { PrivacyMask } from '../config/schema.js';
import { openDetector, type Detection, type DetectionKind, type Detector, type Frame } from './detect/index.js';
import { PLAN_SCHEMA, type RedactionPlan } from './plan.js';
import { progressMeter, type ProgressCallback } from './progress.js';
import { buildTracks, DEFAULT_TRACKING, type TrackingOptions } from './track.js';
import { decodeFrames, probeClip, tools as resolveTools, type Range, type Tools } from './video.js';
import { TOOL } from './tool.js';

export interface PlanOptions {
  /** Run the detector on every n-th frame; tracking carries the boxes between. Default 3. */
  detectEvery?: number;
  /** Smallest face height (source pixels) to find. Default 16. */
  minFaceHeight?: number;
  faceThreshold?: number;
  personThreshold?: number;
  threads?: number;
  tracking?: Partial<TrackingOptions>;
}

export interface PlanRequest {
  input: string;
  /** Part of the clip, in seconds from its start; default the whole clip. */
  range?: Range;
  /** What to find. Default faces. */
  what?: DetectionKind[];
  /** The camera's static privacy masks (config cameras[].masks). */
  masks?: readonly PrivacyMask[];
  options?: PlanOptions;
  /** ffmpeg/ffprobe as configured (config ffmpeg.path / ffmpeg.ffprobe). */
  ffmpeg?: { path?: string; ffprobe?: string };
  /** A detector to use instead of the shipped models (tests wrap the real one to force misses). */
  detector?: Detector;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Filled with where the time went (milliseconds: decode, detect, track), for the benchmark. */
  timings?: Record<string, number>;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function planRedaction(request: PlanRequest): Promise<RedactionPlan> {
  const what = request.what ?? ['face'];
  if (what.length === 0) throw new UsageError('redaction.nothing', 'Nothing to redact: ask for faces, persons or both.');
  const options = request.options ?? {};
  const detectEvery = options.detectEvery ?? 3;
  if (!Number.isInteger(detectEvery) || detectEvery < 1) throw new UsageError('redaction.detect-every', `detectEvery must be a whole number of frames of at least 1 (got ${detectEvery}).`);
  const t: Tools = resolveTools({ ...(request.ffmpeg?.path ? { ffmpeg: request.ffmpeg.path } : {}), ...(request.ffmpeg?.ffprobe ? { ffprobe: request.ffmpeg.ffprobe } : {}) });
  const info = await probeClip(t, request.input);
  const range: Range = request.range ?? { start: 0 };
  const fps = info.fps.num / info.fps.den;
  const expected = Math.max(1, Math.round(((range.duration ?? Math.max(0, info.durationSeconds - range.start)) || 0) * fps));

  const detector =
    request.detector ??
    (await openDetector({
      what,
      ...(options.minFaceHeight !== undefined ? { minFaceHeight: options.minFaceHeight } : {}),
      ...(options.faceThreshold !== undefined ? { faceThreshold: options.faceThreshold } : {}),
      ...(options.personThreshold !== undefined ? { personThreshold: options.personThreshold } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
    }));
  const detections = new Map<number, Detection[]>();
  const meter = progressMeter('detect', expected, request.onProgress);
  let frames = 0;
  let last: { index: number; data: Uint8Array } | undefined;
  const timing = { decode: 0, detect: 0, track: 0 };
  const detect = async (frame: Frame, index: number) => {
    const t0 = performance.now();
    detections.set(index, await detector.detect(frame, index));
    timing.detect += performance.now() - t0;
  };
  try {
    const iterator = decodeFrames(t, request.input, info, range, request.signal ? { signal: request.signal } : {})[Symbol.asyncIterator]();
    for (;;) {
      const t0 = performance.now();
      const next = await iterator.next();
      timing.decode += performance.now() - t0;
      if (next.done) break;
      const frame = next.value;
      const index = frames++;
      if (index % detectEvery === 0) {
        await detect(frame, index);
        last = undefined;
      } else {
        last = { index, data: frame.data };
      }
      meter.tick(frames);
    }
    // The last frame is always looked at, so a track is not cut short at the end of the range.
    if (last) await detect({ width: info.width, height: info.height, data: last.data }, last.index);
  } finally {
    if (!request.detector) await detector.close();
  }
  meter.end(frames);
  if (frames === 0) throw new UsageError('redaction.empty-range', `No frames in ${request.input} from ${range.start} s${range.duration !== undefined ? ` for ${range.duration} s` : ''}; check the range.`);

  const tracking: TrackingOptions = {
    ...DEFAULT_TRACKING,
    // Carried one sampling step beyond the ends, plus a fifth of a second.
    extendFrames: detectEvery + Math.round(fps / 5),
    // Held through up to two seconds of missed detections (a turned head, a passer-by in front).
    maxGapFrames: Math.max(2 * detectEvery, Math.round(2 * fps)),
    ...options.tracking,
  };
  const t0 = performance.now();
  const tracks = buildTracks(detections, frames, detectEvery, tracking);
  timing.track = performance.now() - t0;
  if (request.timings) Object.assign(request.timings, timing);
  return {
    schema: PLAN_SCHEMA,
    createdAt: new Date().toISOString(),
    tool: TOOL,
    input: {
      file: request.input,
      sha256: await sha256File(request.input),
      width: info.width,
      height: info.height,
      fps: info.fps,
      startSeconds: range.start,
      frames,
    },
    detection: {
      what,
      models: detector.models.map((m) => ({ ...m })),
      runtime: detector.runtime,
      detectEvery,
      framesDetected: detections.size,
      settings: detector.settings,
    },
    tracking: {
      marginX: tracking.marginX,
      marginTop: tracking.marginTop,
      marginBottom: tracking.marginBottom,
      extendFrames: tracking.extendFrames,
      maxGapFrames: tracking.maxGapFrames,
    },
    tracks,
    masks: (request.masks ?? []).map((m, i) => ({ id: `m${i + 1}`, ...(m.name ? { name: m.name } : {}), polygon: m.polygon.map(([x, y]) => [x, y] as [number, number]) })),
  };
}
