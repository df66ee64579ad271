// Tracking: detections on sampled frames linked into tracks, offline (all detections are known before a frame is
// rendered, so a box between two detections is interpolated from both sides and never lags). A track is held through
// missed detections up to maxGapFrames, carried extendFrames before its first and after its last detection (a face
// is on screen before the detector first sees it), and every box is widened by the margins.
import type { Box, Detection, DetectionKind } from './detect/types.js';
import { iou } from './detect/types.js';
import type { PlanKeyframe, PlanTrack } from './plan.js';

export interface TrackingOptions {
  /** Widening of a face box on each side, as a share of its width. */
  marginX: number;
  /** Widening above (forehead, hair) and below, as a share of its height. */
  marginTop: number;
  marginBottom: number;
  /** Frames a track is carried before its first and after its last detection. */
  extendFrames: number;
  /** Longest run of frames without a detection that a track is held through. */
  maxGapFrames: number;
  /** A track seen only once is kept when its score reaches this (else it is taken for a false detection). */
  singleScore: number;
}

export const DEFAULT_TRACKING: Omit<TrackingOptions, 'extendFrames' | 'maxGapFrames'> = {
  marginX: 0.3,
  marginTop: 0.45,
  marginBottom: 0.25,
  singleScore: 0.7,
};

interface Observation extends Detection {
  frame: number;
}

interface Building {
  kind: DetectionKind;
  obs: Observation[];
}

function center(b: Box): [number, number] {
  return [b.x + b.w / 2, b.y + b.h / 2];
}

/** Where a track is expected at `frame`, from its last two observations. */
function predict(t: Building, frame: number): Box {
  const last = t.obs[t.obs.length - 1]!;
  const prev = t.obs[t.obs.length - 2];
  if (!prev) return last;
  const dt = last.frame - prev.frame;
  const k = (frame - last.frame) / dt;
  return { x: last.x + (last.x - prev.x) * k, y: last.y + (last.y - prev.y) * k, w: last.w, h: last.h };
}

/** How well a detection continues a track: lower is better; Infinity when it cannot. */
function cost(pred: Box, d: Detection, framesApart: number, stepFrames: number): number {
  const size = Math.max(pred.h, pred.w);
  const ratio = d.h / pred.h;
  // Faces grow and shrink as people walk; over a longer gap, by more.
  const change = 2 + (0.1 * framesApart) / stepFrames;
  if (ratio < 1 / change || ratio > change) return Infinity;
  const [px, py] = center(pred);
  const [dx, dy] = center(d);
  const dist = Math.hypot(px - dx, py - dy) / size;
  // A head moves at most about a head's size per sampling step; allow more over longer gaps.
  const allowed = 1.2 * Math.max(1, framesApart / stepFrames);
  if (dist > allowed && iou(pred, d) <= 0) return Infinity;
  return dist - iou(pred, d);
}

/**
 * Links detections into tracks online, one sampled frame at a time (frames rising). Association only looks back, so
 * the tracks of a finished run are the same whether they are read at the end (`finish`) or followed while the clip is
 * still being decoded (`settled`): the box of a track at frame f no longer changes once every sampled frame up to
 * f + `horizon` has been added. That lets one pass over the clip detect and render.
 */
export class Tracker {
  private readonly active: Building[] = [];
  private readonly retired: Building[] = [];
  /** Retired tracks that `settled` no longer needs to look at. */
  private readonly done: Building[] = [];
  private last = -1;

  constructor(
    private readonly stepFrames: number,
    private readonly options: TrackingOptions,
    private readonly idPrefix: Record<DetectionKind, string> = { face: 'f', person: 'p' },
  ) {}

  /**
   * Frames after which a box is final. A box between two detections of a track depends on both and on the
   * detections next to them (sizes are a running median of three), each up to maxGapFrames apart; a track that
   * starts later reaches extendFrames back; a track is known to have ended maxGapFrames after its last detection.
   */
  static horizon(stepFrames: number, options: Pick<TrackingOptions, 'maxGapFrames' | 'extendFrames'>): number {
    return 2 * options.maxGapFrames + options.extendFrames + 2 * stepFrames + 2;
  }

  /** The detections of a sampled frame. */
  add(frame: number, dets: readonly Detection[]): void {
    if (frame <= this.last) throw new Error(`Tracker: frame ${frame} added after frame ${this.last}`);
    this.last = frame;
    const { active } = this;
    // Retire tracks not seen for too long.
    for (let i = active.length - 1; i >= 0; i--) {
      const t = active[i]!;
      if (frame - t.obs[t.obs.length - 1]!.frame > this.options.maxGapFrames) this.retired.push(...active.splice(i, 1));
    }
    const pairs: { t: number; d: number; c: number }[] = [];
    for (const [ti, t] of active.entries()) {
      const last = t.obs[t.obs.length - 1]!;
      const pred = predict(t, frame);
      for (const [di, d] of dets.entries()) {
        if (d.kind !== t.kind) continue;
        const c = cost(pred, d, frame - last.frame, this.stepFrames);
        if (c < Infinity) pairs.push({ t: ti, d: di, c });
      }
    }
    pairs.sort((a, b) => a.c - b.c);
    const usedT = new Set<number>();
    const usedD = new Set<number>();
    for (const p of pairs) {
      if (usedT.has(p.t) || usedD.has(p.d)) continue;
      usedT.add(p.t);
      usedD.add(p.d);
      active[p.t]!.obs.push({ ...dets[p.d]!, frame });
    }
    for (const [di, d] of dets.entries()) if (!usedD.has(di)) active.push({ kind: d.kind, obs: [{ ...d, frame }] });
  }

  /** The last frame added. */
  get lastFrame(): number {
    return this.last;
  }

  /**
   * The tracks that may have a box in frames from…to, as they stand (ids are not assigned yet). For frames at least
   * `horizon` before the last frame added, their boxes are those of the finished plan.
   */
  settled(from: number, to: number): Pick<PlanTrack, 'kind' | 'keyframes'>[] {
    const o = this.options;
    const out: Pick<PlanTrack, 'kind' | 'keyframes'>[] = [];
    // Retired tracks that ended before `from` can no longer matter to a later call either.
    for (let i = this.retired.length - 1; i >= 0; i--) {
      const t = this.retired[i]!;
      if (t.obs[t.obs.length - 1]!.frame + o.extendFrames < from) {
        this.done.push(...this.retired.splice(i, 1));
      }
    }
    for (const t of [...this.retired, ...this.active]) {
      if (!kept(t, o)) continue;
      if (t.obs[0]!.frame - o.extendFrames > to || t.obs[t.obs.length - 1]!.frame + o.extendFrames < from) continue;
      out.push({ kind: t.kind, keyframes: keyframes(t, this.last + 1, o) });
    }
    return out;
  }

  /** The finished tracks, as plan tracks with ids, for a range of `frames` frames. */
  finish(frames: number): PlanTrack[] {
    const all = [...this.done, ...this.retired, ...this.active].filter((t) => kept(t, this.options));
    // Ids in order of appearance, left to right; the rest only breaks ties, so the ids never depend on when a
    // track was retired.
    all.sort((a, b) => a.obs[0]!.frame - b.obs[0]!.frame || a.obs[0]!.x - b.obs[0]!.x || a.obs[0]!.y - b.obs[0]!.y || a.kind.localeCompare(b.kind) || a.obs.length - b.obs.length);
    const counters: Record<string, number> = {};
    return all.map((t) => {
      counters[t.kind] = (counters[t.kind] ?? 0) + 1;
      return {
        id: `${this.idPrefix[t.kind]}${counters[t.kind]}`,
        kind: t.kind,
        keyframes: keyframes(t, frames, this.options),
        detections: t.obs.length,
        maxScore: round(Math.max(...t.obs.map((ob) => ob.score)), 3),
      };
    });
  }
}

/** A track seen only once is kept when its score is high enough; else it is taken for a false detection. */
function kept(t: Building, o: TrackingOptions): boolean {
  return t.obs.length >= 2 || t.obs[0]!.score >= o.singleScore;
}

/**
 * Links the detections (frame → detections on that frame; only sampled frames have an entry) into tracks and
 * returns them as plan tracks with keyframes. `frames` is the number of frames in the range.
 */
export function buildTracks(detections: Map<number, Detection[]>, frames: number, stepFrames: number, options: TrackingOptions, idPrefix: Record<DetectionKind, string> = { face: 'f', person: 'p' }): PlanTrack[] {
  const tracker = new Tracker(stepFrames, options, idPrefix);
  for (const frame of [...detections.keys()].sort((a, b) => a - b)) tracker.add(frame, detections.get(frame) ?? []);
  return tracker.finish(frames);
}

function keyframes(t: Building, frames: number, o: TrackingOptions): PlanKeyframe[] {
  const obs = smoothSizes(t.obs);
  const widen = (b: Box): Box => {
    // Persons: a small even margin; faces: the head around the face box.
    const mx = t.kind === 'face' ? o.marginX : 0.05;
    const mt = t.kind === 'face' ? o.marginTop : 0.05;
    const mb = t.kind === 'face' ? o.marginBottom : 0.05;
    return { x: b.x - b.w * mx, y: b.y - b.h * mt, w: b.w * (1 + 2 * mx), h: b.h * (1 + mt + mb) };
  };
  const out: PlanKeyframe[] = obs.map((b) => ({ frame: b.frame, ...roundBox(widen(b)), source: 'detected', score: round(b.score, 3) }));
  const first = obs[0]!;
  const last = obs[obs.length - 1]!;
  // Carry the track beyond its ends along its motion, growing the box with the distance carried (the face may
  // have changed course), and stopping at the range's ends.
  const carry = (from: Observation, neighbour: Observation | undefined, toFrame: number): Box => {
    const n = Math.abs(toFrame - from.frame);
    let vx = 0;
    let vy = 0;
    if (neighbour && neighbour.frame !== from.frame) {
      vx = (from.x + from.w / 2 - (neighbour.x + neighbour.w / 2)) / (from.frame - neighbour.frame);
      vy = (from.y + from.h / 2 - (neighbour.y + neighbour.h / 2)) / (from.frame - neighbour.frame);
    }
    const grow = 1 + 0.02 * n;
    const cx = from.x + from.w / 2 + vx * (toFrame - from.frame);
    const cy = from.y + from.h / 2 + vy * (toFrame - from.frame);
    const w = from.w * grow;
    const h = from.h * grow;
    return { x: cx - w / 2, y: cy - h / 2, w, h };
  };
  const startFrame = Math.max(0, first.frame - o.extendFrames);
  if (startFrame < first.frame) out.unshift({ frame: startFrame, ...roundBox(widen(carry(first, obs[1], startFrame))), source: 'extended' });
  const endFrame = Math.min(frames - 1, last.frame + o.extendFrames);
  if (endFrame > last.frame) out.push({ frame: endFrame, ...roundBox(widen(carry(last, obs[obs.length - 2], endFrame))), source: 'extended' });
  return out;
}

/** Box sizes jitter between detections; a running median of three steadies them without moving the centres. */
function smoothSizes(obs: Observation[]): Observation[] {
  if (obs.length < 3) return obs;
  return obs.map((o, i) => {
    if (i === 0 || i === obs.length - 1) return o;
    const w = median3(obs[i - 1]!.w, o.w, obs[i + 1]!.w);
    const h = median3(obs[i - 1]!.h, o.h, obs[i + 1]!.h);
    // Never shrink below the detection itself: a smaller box could bare an edge of the face.
    const nw = Math.max(w, o.w * 0.9);
    const nh = Math.max(h, o.h * 0.9);
    return { ...o, x: o.x + (o.w - nw) / 2, y: o.y + (o.h - nh) / 2, w: nw, h: nh };
  });
}

function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function roundBox(b: Box): Box {
  return { x: round(b.x, 1), y: round(b.y, 1), w: round(b.w, 1), h: round(b.h, 1) };
}
