// Plan and render in one pass over the clip. Frames are held back in memory until their boxes are final — the
// tracker's horizon after them (about four seconds) — then painted and handed to the encoder, while the detectors
// work further ahead. At the end the finished plan is checked against every box already drawn; should one differ,
// the clip is rendered again from the plan, so the output is always exactly what the plan says.
import { defaultWorkers, type Frame } from './detect/index.js';
import { frameBytes } from './detect/image.js';
import { rasterisePolygon, type RedactionStyle } from './paint.js';
import type { RedactionPlan } from './plan.js';
import { assemblePlan, emptyRange, gateFigures, inFlightFor, planRedaction, preparePlan, trackerHooks, trackingFor, type PlanRequest, type PlanSetup } from './planner.js';
import { progressMeter } from './progress.js';
import { openEncoder, paintFrame, regionsAt, renderRedaction, renderResult, type EncoderSettings, type Region, type RenderResult } from './render.js';
import { scanFrames } from './scan.js';
import { Tracker } from './track.js';
import { FramePool, probeClip, tools as resolveTools } from './video.js';
import { loadProcesses } from '../media/index.js';

export interface RedactRequest extends PlanRequest {
  output: string;
  style?: RedactionStyle;
  /** Track ids left visible: these come from a reviewed plan, so this makes a plan first and renders it after. */
  keepTracks?: string[];
  keepAudio?: boolean;
  encoder?: EncoderSettings;
  /** Memory for frames held back until their boxes are final (default 512 MB); a larger picture takes two passes. */
  memoryBudgetMB?: number;
}

export interface RedactResult {
  plan: RedactionPlan;
  render: RenderResult;
  /** 1: planned and rendered in one decoding pass; 2: planned, then rendered from the plan. */
  passes: 1 | 2;
  /** Why two passes were needed, when they were. */
  reason?: 'keep-tracks' | 'memory' | 'plan-changed';
}

const DEFAULT_BUDGET_MB = 512;

/** Frames held back at most: the tracker's horizon, the detections in flight, a little slack. */
function heldFrames(horizon: number, inFlight: number, detectEvery: number): number {
  return horizon + (inFlight + 2) * detectEvery;
}

/** A number that stands for the regions of a frame, whatever their order (FNV-1a over the rounded boxes). */
function signature(regions: readonly Region[]): number {
  const keys = regions.map((r) => `${r.kind}:${r.box.x.toFixed(3)},${r.box.y.toFixed(3)},${r.box.w.toFixed(3)},${r.box.h.toFixed(3)}`).sort();
  let h = 0x811c9dc5;
  for (const k of keys) for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193) >>> 0;
  return h * 64 + (keys.length % 64);
}

export async function redact(request: RedactRequest): Promise<RedactResult> {
  return redactWith(request);
}

/**
 * redact, with the frames held back for `horizon` frames instead of the tracker's own horizon: tests hold them back
 * too briefly to see that a box drawn before its track was final leads to a second, correct pass.
 */
export async function redactWith(request: RedactRequest, internal: { horizon?: number } = {}): Promise<RedactResult> {
  const style = request.style ?? 'pixelate';
  const twoPasses = async (reason: NonNullable<RedactResult['reason']>, plan?: RedactionPlan): Promise<RedactResult> => {
    const made = plan ?? (await planRedaction(request));
    const render = await renderRedaction({
      input: request.input,
      plan: made,
      style,
      output: request.output,
      ...(request.keepTracks ? { keepTracks: request.keepTracks } : {}),
      ...(request.keepAudio ? { keepAudio: true } : {}),
      ...(request.encoder ? { encoder: request.encoder } : {}),
      ...(request.ffmpeg ? { ffmpeg: request.ffmpeg } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return { plan: made, render, passes: 2, reason };
  };
  if (request.keepTracks?.length) return twoPasses('keep-tracks');

  const t = resolveTools({ ...(request.ffmpeg?.path ? { ffmpeg: request.ffmpeg.path } : {}), ...(request.ffmpeg?.ffprobe ? { ffprobe: request.ffmpeg.ffprobe } : {}) });
  const probed = await probeClip(t, request.input);
  const detectEvery = Math.max(1, request.options?.detectEvery ?? 3);
  const horizonAhead = Tracker.horizon(detectEvery, trackingFor(probed, detectEvery, request.options?.tracking));
  const budget = (request.memoryBudgetMB ?? DEFAULT_BUDGET_MB) * 1024 * 1024;
  if (heldFrames(horizonAhead, 2 * defaultWorkers(), detectEvery) * frameBytes(probed.width, probed.height) > budget) return twoPasses('memory');

  const setup = await preparePlan(request);
  let outcome: RedactResult | { changed: RedactionPlan };
  try {
    outcome = await onePass(request, setup, style, internal.horizon);
  } finally {
    if (setup.ownDetector) await setup.detector.close();
  }
  return 'changed' in outcome ? twoPasses('plan-changed', outcome.changed) : outcome;
}

/**
 * The one pass itself: the result, or the finished plan when a box drawn early differs from it (nothing is written
 * then). The caller closes the detector.
 */
async function onePass(request: RedactRequest, setup: PlanSetup, style: RedactionStyle, horizonOverride: number | undefined): Promise<RedactResult | { changed: RedactionPlan }> {
  const { info, detector, tracking } = setup;
  const horizon = horizonOverride ?? Tracker.horizon(setup.detectEvery, tracking);
  const tracker = new Tracker(setup.detectEvery, tracking);
  const { wants, ...hooks } = trackerHooks(setup, tracker, request);
  const masks = (request.masks ?? []).map((m) => rasterisePolygon(m.polygon, info.width, info.height));
  await loadProcesses();
  const encoder = openEncoder(setup.tools, info, {
    input: request.input,
    output: request.output,
    start: setup.range.start,
    frames: setup.expected,
    style,
    keepAudio: Boolean(request.keepAudio),
    settings: request.encoder,
  });
  const meter = progressMeter('render', setup.expected, request.onProgress);
  const timing = { decode: 0, detectWait: 0, detect: 0, detectCpu: 0, track: 0, paint: 0, encode: 0 };
  const held: Frame[] = [];
  let base = 0; // frame index of held[0]
  const drawn: number[] = []; // signature of the regions drawn in each frame painted before the plan was finished
  let framesDetected = 0;

  const pool = new FramePool(frameBytes(info.width, info.height), heldFrames(horizon, inFlightFor(detector), setup.detectEvery) + 8);
  const emit = async (regions: Region[]) => {
    const frame = held.shift()!;
    base++;
    const t0 = performance.now();
    paintFrame(frame, masks, regions, style);
    timing.paint += performance.now() - t0;
    await encoder.write(frame, () => pool.release(frame.data));
  };
  /** Paints and encodes the held frames whose boxes are final. */
  const flush = async (upTo: number) => {
    if (upTo < base) return;
    const t0 = performance.now();
    const tracks = tracker.settled(base, upTo);
    timing.track += performance.now() - t0;
    while (base <= upTo) {
      const regions = regionsAt(tracks, base);
      drawn.push(signature(regions));
      await emit(regions);
    }
  };

  let ok = false;
  try {
    let frames: number;
    try {
      frames = await scanFrames({
        tools: setup.tools,
        input: request.input,
        info,
        range: setup.range,
        detector,
        detectEvery: setup.detectEvery,
        inFlight: inFlightFor(detector),
        signal: request.signal,
        timing,
        pool,
        ...hooks,
        onFrame: (index, frame) => {
          held.push(frame);
          // Progress counts frames read; the last few seconds are painted and encoded after the last is read.
          meter.tick(index + 1);
        },
        onDetections: async (index, found) => {
          const t0 = performance.now();
          tracker.add(index, found);
          framesDetected++;
          const more = wants(index);
          timing.track += performance.now() - t0;
          // Never the frames dense detection may still look at, however short the horizon (tests shorten it).
          await flush(index - Math.max(horizon, hooks.denseReach ?? 0));
          return more;
        },
      });
    } finally {
      if ('busyMs' in detector) {
        timing.detect = detector.busyMs;
        timing.detectCpu = detector.cpuMs;
      }
      // Done with the detector: free its workers' memory before the rest is painted.
      if (setup.ownDetector) await detector.close();
    }
    if (frames === 0) throw emptyRange(request, setup.range);
    const t0 = performance.now();
    const tracks = tracker.finish(frames);
    timing.track += performance.now() - t0;
    const plan = await assemblePlan(request, setup, frames, framesDetected, tracks);
    // The frames painted early must show what the plan says; the rest are painted from it.
    const changed = drawn.findIndex((sig, f) => signature(regionsAt(plan.tracks, f)) !== sig);
    if (changed >= 0) return { changed: plan };
    while (base < frames) await emit(regionsAt(plan.tracks, base));
    await encoder.finish();
    ok = true;
    meter.end(frames);
    if (!('busyMs' in detector)) timing.detect = timing.detectWait;
    timing.encode = encoder.waitMs;
    if (request.timings) Object.assign(request.timings, timing, gateFigures(setup.gate));
    const render = await renderResult(request.output, info, plan, frames, style, new Set(), encoder);
    return { plan, render, passes: 1 };
  } finally {
    if (!ok) await encoder.abort();
  }
}
