// Making the plan: decode the range once, detect on every n-th frame (and the last), link the detections into
// tracks, add the camera's static masks. redact.ts renders in the same pass.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UsageError } from '../errors.js';
import type { PrivacyMask } from '../config/schema.js';
import { openDetector, type DetectHint, type DetectionKind, type Detector, type Frame, type TimedDetector } from './detect/index.js';
import { CutDetector, DEFAULT_GATE, MotionGate, type GateOptions } from './gate.js';
import { PLAN_SCHEMA, type PlanTrack, type RedactionPlan } from './plan.js';
import { progressMeter, type ProgressCallback } from './progress.js';
import { scanFrames, type DenseRequest, type ScanRequest } from './scan.js';
import { DEFAULT_TRACKING, Tracker, type DenseTag, type TrackingOptions } from './track.js';
import { FramePool, probeClip, tools as resolveTools, type ClipInfo, type Range, type Tools } from './video.js';
import { frameBytes } from './detect/image.js';
import { TOOL } from './tool.js';

export interface PlanOptions {
  /** Run the detector on every n-th frame; tracking carries the boxes between. Default 3. */
  detectEvery?: number;
  /** Smallest face height (source pixels) to find. Default 16. */
  minFaceHeight?: number;
  faceThreshold?: number;
  personThreshold?: number;
  /** ONNX Runtime threads per detector (default 1). */
  threads?: number;
  /** Detectors side by side in worker threads (default one per core, at most 4; 0: in the calling thread). */
  workers?: number;
  /**
   * Motion gating of the fine pass (gate.ts): on by default; false looks at the whole of every sampled frame.
   */
  motion?: Partial<GateOptions> | false;
  tracking?: Partial<TrackingOptions>;
  /**
   * Dense detection: the frames between sampled ones are looked at around a track that was just born (a face
   * turning into view) or is lost (held without detections), so its boxes follow the face there. Default on.
   */
  dense?: boolean;
  /** Cuts (the picture changes almost everywhere at once) end every track; default on. */
  cuts?: boolean;
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

/** What both the planner and the one-pass redactor set up before scanning: the clip, the detector, tracking. */
export interface PlanSetup {
  tools: Tools;
  info: ClipInfo;
  range: Range;
  what: DetectionKind[];
  detectEvery: number;
  /** Frames expected from the clip's duration (for progress; may be off by one). */
  expected: number;
  tracking: TrackingOptions;
  detector: Detector | TimedDetector;
  /** Whether the detector was opened here (and must be closed here). */
  ownDetector: boolean;
  /** The motion gate, when on; `hint` gives the detector its regions. */
  gate: MotionGate | undefined;
  hint: ((index: number, frame: Frame, whole: boolean) => DetectHint) | undefined;
  /** Dense detection around young and lost tracks (option `dense`, default on). */
  dense: boolean;
}

export async function preparePlan(request: PlanRequest): Promise<PlanSetup> {
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
  const tracking = trackingFor(info, detectEvery, options.tracking);
  // Only the face detector has a fine pass to limit; persons are always looked for in the whole frame.
  const motion = options.motion === false || !what.includes('face') ? undefined : { ...DEFAULT_GATE, ...options.motion };
  if (motion && !(Number.isInteger(motion.fullEvery) && motion.fullEvery >= 1 && motion.threshold >= 0)) {
    throw new UsageError('redaction.motion', `Motion gating needs a whole number of sampled frames of at least 1 between full passes and a threshold of 0 or more (got ${motion.fullEvery} and ${motion.threshold}).`);
  }
  const detector =
    request.detector ??
    (await openDetector({
      what,
      ...(options.minFaceHeight !== undefined ? { minFaceHeight: options.minFaceHeight } : {}),
      ...(options.faceThreshold !== undefined ? { faceThreshold: options.faceThreshold } : {}),
      ...(options.personThreshold !== undefined ? { personThreshold: options.personThreshold } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
    }));
  const gate = motion ? new MotionGate(info.width, info.height, motion) : undefined;
  // Where nothing moved since the last sampled frame, the coarse pass would find what it found then.
  const hint = gate
    ? (_index: number, frame: Frame, whole: boolean): DetectHint => {
        const regions = gate.regions(frame, whole);
        return regions && regions.length === 0 ? { regions, skipCoarse: true } : { regions };
      }
    : undefined;
  return { tools: t, info, range, what, detectEvery, expected, tracking, detector, ownDetector: !request.detector, gate, hint, dense: options.dense ?? true };
}

/** Tracking settings for a clip and a sampling step. */
export function trackingFor(info: Pick<ClipInfo, 'fps'>, detectEvery: number, overrides: Partial<TrackingOptions> = {}): TrackingOptions {
  const fps = info.fps.num / info.fps.den;
  return {
    ...DEFAULT_TRACKING,
    // Carried one sampling step beyond the ends, plus a fifth of a second.
    extendFrames: detectEvery + Math.round(fps / 5),
    // Held through up to two seconds of missed detections (a turned head, a passer-by in front).
    maxGapFrames: Math.max(2 * detectEvery, Math.round(2 * fps)),
    // A lost face stays covered for a second.
    holdFrames: Math.max(detectEvery + Math.round(fps / 5), Math.round(fps)),
    ...overrides,
  };
}

/**
 * What the planner and the one-pass redactor give the scan besides frames: hints, cuts, and dense detection
 * around the tracker's young and lost tracks.
 */
export function trackerHooks(setup: PlanSetup, tracker: Tracker, request: PlanRequest): Pick<ScanRequest, 'hint' | 'isCut' | 'onCut' | 'onDense' | 'denseReach'> & { wants: (index: number) => DenseRequest[] } {
  const cuts = request.options?.cuts === false ? undefined : new CutDetector(setup.info.width, setup.info.height);
  const hasFaces = setup.what.includes('face');
  // Where each sampled frame was looked at (motion gating), so a face left out is not taken for lost.
  const looked = new Map<number, DetectHint | undefined>();
  const hint = setup.hint;
  const lookedAt = (index: number) => {
    const h = looked.get(index);
    looked.delete(index);
    if (!h?.regions) return undefined; // the whole frame
    const regions = h.regions;
    return (b: { x: number; y: number; w: number; h: number }) => {
      // The coarse pass saw the whole frame: faces from 48 px.
      if (!h.skipCoarse && b.h >= 48) return true;
      const cx = b.x + b.w / 2;
      const cy = b.y + b.h / 2;
      return regions.some((r) => cx >= r.x && cx < r.x + r.w && cy >= r.y && cy < r.y + r.h);
    };
  };
  return {
    ...(hint
      ? {
          hint: (index: number, frame: Frame, whole: boolean) => {
            const h = hint(index, frame, whole);
            looked.set(index, h);
            return h;
          },
        }
      : {}),
    ...(cuts ? { isCut: (_index: number, frame: Frame) => cuts.isCut(frame), onCut: (index: number) => tracker.cut(index) } : {}),
    ...(setup.dense && hasFaces ? { onDense: (r: DenseRequest, found) => tracker.addDense(r.tag as DenseTag, r.frame, found), denseReach: setup.detectEvery * (inFlightFor(setup.detector) + 2) + 2 } : {}),
    wants: (index) => {
      const look = lookedAt(index);
      if (!setup.dense || !hasFaces) return [];
      return tracker.wants(index, look).map((w) => ({ frame: w.frame, tag: w.tag, hint: { regions: [regionAround(w.box, setup.info)], only: { faceHeight: w.faceHeight } } }));
    },
  };
}

/** A region of whole 32-pixel strides around a box, inside the picture. */
function regionAround(b: { x: number; y: number; w: number; h: number }, info: Pick<ClipInfo, 'width' | 'height'>): { x: number; y: number; w: number; h: number } {
  const x0 = Math.max(0, Math.floor(b.x / 32) * 32);
  const y0 = Math.max(0, Math.floor(b.y / 32) * 32);
  const x1 = Math.min(info.width, Math.ceil((b.x + b.w) / 32) * 32);
  const y1 = Math.min(info.height, Math.ceil((b.y + b.h) / 32) * 32);
  return { x: x0, y: y0, w: Math.max(32, x1 - x0), h: Math.max(32, y1 - y0) };
}

/** For the benchmark: the share of sampled frames that got regions, and the mean share of the picture in them. */
export function gateFigures(gate: MotionGate | undefined): Record<string, number> {
  if (!gate) return {};
  const { frames, gated, area } = gate.stats;
  return { gatedFrames: frames ? gated / frames : 0, gatedArea: gated ? area / gated : 0 };
}

/** Detections in flight: two per worker keep each busy while the main thread hands over the next frame. */
export function inFlightFor(detector: Detector | TimedDetector): number {
  return 'workers' in detector ? 2 * Math.max(1, detector.workers) : 1;
}

/** The plan document for finished tracks. */
export async function assemblePlan(request: PlanRequest, setup: PlanSetup, frames: number, framesDetected: number, tracks: PlanTrack[]): Promise<RedactionPlan> {
  const { info, range, detector, tracking } = setup;
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
      what: setup.what,
      models: detector.models.map((m) => ({ ...m })),
      runtime: detector.runtime,
      detectEvery: setup.detectEvery,
      framesDetected,
      settings: { ...detector.settings, motion: setup.gate ? { ...setup.gate.options } : false },
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

export function emptyRange(request: PlanRequest, range: Range): UsageError {
  return new UsageError('redaction.empty-range', `No frames in ${request.input} from ${range.start} s${range.duration !== undefined ? ` for ${range.duration} s` : ''}; check the range.`);
}

export async function planRedaction(request: PlanRequest): Promise<RedactionPlan> {
  const setup = await preparePlan(request);
  const { detector, detectEvery, tracking } = setup;
  const tracker = new Tracker(detectEvery, tracking);
  const { wants, ...hooks } = trackerHooks(setup, tracker, request);
  const meter = progressMeter('detect', setup.expected, request.onProgress);
  const timing = { decode: 0, detectWait: 0, detect: 0, detectCpu: 0, track: 0 };
  let framesDetected = 0;
  let frames = 0;
  try {
    frames = await scanFrames({
      tools: setup.tools,
      input: request.input,
      info: setup.info,
      range: setup.range,
      detector,
      detectEvery,
      inFlight: inFlightFor(detector),
      signal: request.signal,
      timing,
      ...hooks,
      pool: new FramePool(frameBytes(setup.info.width, setup.info.height), 32),
      onDetections: (index, found) => {
        const t0 = performance.now();
        tracker.add(index, found);
        framesDetected++;
        const more = wants(index);
        timing.track += performance.now() - t0;
        meter.tick(index + 1);
        return more;
      },
    });
  } finally {
    if ('busyMs' in detector) {
        timing.detect = detector.busyMs;
        timing.detectCpu = detector.cpuMs;
      }
    if (setup.ownDetector) await detector.close();
  }
  meter.end(frames);
  if (frames === 0) throw emptyRange(request, setup.range);
  const t0 = performance.now();
  const tracks = tracker.finish(frames);
  timing.track += performance.now() - t0;
  if (!('busyMs' in detector)) timing.detect = timing.detectWait;
  if (request.timings) Object.assign(request.timings, timing, gateFigures(setup.gate));
  return assemblePlan(request, setup, frames, framesDetected, tracks);
}
