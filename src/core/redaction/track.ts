// Tracking: detections on sampled frames linked into tracks, offline (all detections are known before a frame is
// rendered, so a box between two detections is interpolated from both sides and never lags). A track is held through
// missed detections up to maxGapFrames, carried extendFrames before its first and after its last detection (a face
// is on screen before the detector first sees it), and every box is widened by the margins.
import type { Box, Detection, DetectionKind } from './detect/types.js';
import { iou } from './detect/types.js';
import { blend, similarity } from './detect/signature.js';
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
  /**
   * Frames a lost track's box is kept after its last detection (default one second), moving on with its velocity
   * and growing with it. A track still alive at the end of the clip or of a cut (last seen less than maxGapFrames
   * before it) is carried to that end, and one alive at the start of a clip or cut is carried back to it.
   */
  holdFrames?: number;
  /**
   * A track is kept only when at least one of its detections reaches this score (default 0.65): weaker ones only
   * continue a track. On the benchmark every weaker track was a second box on a face already covered or a pattern
   * in the background; test patterns reach 0.58.
   */
  trackScore?: number;
  /**
   * Colour similarity (0–1) a face found again after it was lost must have with its track (default 0.8; the same face scores 0.94–1 over a second and a half on the benchmark, two people 0.4–0.9); a face
   * this similar (or more) may be re-found a little farther away than the motion alone allows.
   */
  reidSimilarity?: number;
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
  /**
   * Detections on frames between the sampled ones, looked for around this track while it was young or lost
   * (dense detection). They shape the track's boxes but never its association, so the tracks stay the same
   * whatever order those answers arrive in.
   */
  dense: Observation[];
  /** Running colour signature of the face (signature.ts), when the detector gives one. */
  signature?: number[] | undefined;
}

/** What a dense detection is for: the track, and what was known of it when it was asked for. */
export interface DenseTag {
  track: object;
  expected: Box;
  apart: number;
  signature: number[] | undefined;
}

export interface DenseWant {
  frame: number;
  box: Box;
  faceHeight: number;
  tag: DenseTag;
}

/** The frames of the clip between cuts: a track lives inside one. */
export interface Segments {
  /** First frames of the segments after the first (frame 0), rising. */
  cuts: readonly number[];
}

function segmentOf(cuts: readonly number[], frame: number, frames: number): [number, number] {
  let start = 0;
  let end = frames - 1;
  for (const c of cuts) {
    if (c <= frame) start = c;
    else {
      end = Math.min(end, c - 1);
      break;
    }
  }
  return [start, end];
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
function cost(t: Building, pred: Box, d: Detection, framesApart: number, stepFrames: number, o: TrackingOptions): number {
  const size = Math.max(pred.h, pred.w);
  const ratio = d.h / pred.h;
  // Faces grow and shrink as people walk; over a longer gap, by more.
  const change = 2 + (0.1 * framesApart) / stepFrames;
  if (ratio < 1 / change || ratio > change) return Infinity;
  const [px, py] = center(pred);
  const [dx, dy] = center(d);
  const dist = Math.hypot(px - dx, py - dy) / size;
  const steps = Math.max(1, framesApart / stepFrames);
  // The colour of the head: after a miss, a face is re-found only when it looks like the track (two people who
  // crossed do not swap); a close likeness allows a little more distance (a change of pace while hidden).
  const sim = t.signature && d.signature ? similarity(t.signature, d.signature) : undefined;
  const lost = framesApart > stepFrames;
  const reid = o.reidSimilarity ?? 0.8;
  if (lost && sim !== undefined && sim < reid) return Infinity;
  // A head moves at most about a head's size per sampling step; a little more over longer gaps (where the
  // prediction from its velocity carries most of the way).
  const allowed = (1.2 + 0.3 * (steps - 1)) * (sim !== undefined && sim >= 0.93 ? 1.5 : 1);
  if (dist > allowed && iou(pred, d) <= 0) return Infinity;
  return dist - iou(pred, d) + (sim !== undefined ? 1 - sim : 0);
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
  private readonly cuts: number[] = [];

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

  /**
   * A cut: `frame` shows another scene than the frame before. No track links across it, each track ends at it
   * or starts from it. Call before adding the detections of `frame`.
   */
  cut(frame: number): void {
    if (frame <= this.last) throw new Error(`Tracker: cut at frame ${frame} after frame ${this.last}`);
    if (frame <= 0 || this.cuts.includes(frame)) return;
    this.cuts.push(frame);
    this.retired.push(...this.active.splice(0));
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
        const c = cost(t, pred, d, frame - last.frame, this.stepFrames, this.options);
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
      const t = active[p.t]!;
      const d = dets[p.d]!;
      t.obs.push({ ...d, frame });
      if (d.signature) t.signature = t.signature ? blend(t.signature, d.signature) : d.signature;
    }
    for (const [di, d] of dets.entries()) if (!usedD.has(di)) active.push({ kind: d.kind, obs: [{ ...d, frame }], dense: [], signature: d.signature });
  }

  /**
   * Frames to look at densely after the sampled frame `frame` was added: the frames since the sampled frame
   * before, around each face track born at `frame` (a face turning into view) and around each that missed at
   * `frame` while its box is held (where did it go?). `box` is where to look (source pixels); the answer goes to
   * `addDense` with `tag`. Asked for from what is known at `frame` only, so the plan does not depend on when the
   * answers come.
   */
  wants(frame: number, lookedAt?: (box: Box) => boolean): DenseWant[] {
    const out: DenseWant[] = [];
    const step = this.stepFrames;
    if (step < 2) return out;
    const hold = Math.max(this.options.extendFrames, this.options.holdFrames ?? 0);
    const segStart = this.cuts.filter((c) => c <= frame).pop() ?? 0;
    for (const t of this.active) {
      if (t.kind !== 'face') continue;
      const last = t.obs[t.obs.length - 1]!;
      const young = t.obs.length === 1 && last.frame === frame;
      // Lost: the detector looked where the face should be and did not find it (a face the motion gate left out
      // is not lost, only not looked at).
      const lost = last.frame < frame && frame - last.frame <= hold + step && (!lookedAt || lookedAt(predict(t, frame)));
      if (!young && !lost) continue;
      for (let f = Math.max(segStart, frame - step + 1, last.frame + 1 - (young ? step : 0)); f < frame; f++) {
        const p = predict(t, f);
        // Wide enough for the face to have wandered a face's size (more the longer it was not seen).
        const grow = 1 + Math.min(2, Math.abs(f - last.frame) / step) * 0.5;
        const w = p.w * (1 + 2 * grow);
        const h = p.h * (1 + 2 * grow);
        out.push({
          frame: f,
          box: { x: p.x + p.w / 2 - w / 2, y: p.y + p.h / 2 - h / 2, w, h },
          faceHeight: p.h,
          tag: { track: t, expected: p, apart: Math.max(1, Math.abs(f - last.frame)), signature: t.signature },
        });
      }
    }
    return out;
  }

  /** Faces found densely around a track (see `wants`): the one that continues it, if any, shapes its boxes. */
  addDense(tag: DenseTag, frame: number, dets: readonly Detection[]): void {
    const t = tag.track as Building;
    const like: Building = { ...t, signature: tag.signature };
    let best: { d: Detection; c: number } | undefined;
    for (const d of dets) {
      if (d.kind !== t.kind) continue;
      // Always by its likeness too: the face next to a lost one must not take its place.
      if (tag.signature && d.signature && similarity(tag.signature, d.signature) < (this.options.reidSimilarity ?? 0.8)) continue;
      const c = cost(like, tag.expected, d, tag.apart, this.stepFrames, this.options);
      if (c < Infinity && (!best || c < best.c || (c === best.c && d.score > best.d.score))) best = { d, c };
    }
    if (best && !t.dense.some((o) => o.frame === frame)) t.dense.push({ ...best.d, frame });
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
      if (lastFrame(t) + reach(o) < from) {
        this.done.push(...this.retired.splice(i, 1));
      }
    }
    for (const t of [...this.retired, ...this.active]) {
      if (!kept(t, o)) continue;
      if (firstFrame(t) - reach(o) > to || lastFrame(t) + reach(o) < from) continue;
      out.push({ kind: t.kind, keyframes: keyframes(t, this.last + 1, o, this.cuts) });
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
        keyframes: keyframes(t, frames, this.options, this.cuts),
        detections: t.obs.length,
        maxScore: round(Math.max(...t.obs.map((ob) => ob.score), ...t.dense.map((ob) => ob.score)), 3),
      };
    });
  }
}

/** How far a track may be carried beyond its detections: to the end of its segment when alive there. */
function reach(o: TrackingOptions): number {
  return Math.max(o.extendFrames, o.holdFrames ?? 0, o.maxGapFrames);
}

function firstFrame(t: Building): number {
  return Math.min(t.obs[0]!.frame, ...t.dense.map((d) => d.frame));
}

function lastFrame(t: Building): number {
  return Math.max(t.obs[t.obs.length - 1]!.frame, t.dense.length ? Math.max(...t.dense.map((d) => d.frame)) : -1);
}

/** A track seen only once is kept when its score is high enough; else it is taken for a false detection. */
function kept(t: Building, o: TrackingOptions): boolean {
  const best = Math.max(...t.obs.map((ob) => ob.score), ...t.dense.map((ob) => ob.score));
  if (t.kind === 'face' && best < (o.trackScore ?? 0.65)) return false;
  // Dense detections around a young track do not make it: they look where it already is.
  return t.obs.length >= 2 || t.obs[0]!.score >= o.singleScore;
}

/**
 * Links the detections (frame → detections on that frame; only sampled frames have an entry) into tracks and
 * returns them as plan tracks with keyframes. `frames` is the number of frames in the range.
 */
export function buildTracks(detections: Map<number, Detection[]>, frames: number, stepFrames: number, options: TrackingOptions, idPrefix: Record<DetectionKind, string> = { face: 'f', person: 'p' }, cuts: readonly number[] = []): PlanTrack[] {
  const tracker = new Tracker(stepFrames, options, idPrefix);
  for (const frame of [...detections.keys()].sort((a, b) => a - b)) {
    if (cuts.includes(frame)) tracker.cut(frame);
    tracker.add(frame, detections.get(frame) ?? []);
  }
  return tracker.finish(frames);
}

function keyframes(t: Building, frames: number, o: TrackingOptions, cuts: readonly number[]): PlanKeyframe[] {
  // Dense detections move the track's ends: where a face turned into view before its first sampled detection,
  // where it went after its last. Between sampled detections the box stays interpolated: a face partly hidden
  // behind another gives dense boxes that wander to the one in front (seen on the benchmark).
  const from = t.obs[0]!.frame;
  const to = t.obs[t.obs.length - 1]!.frame;
  const all = [...t.obs, ...t.dense.filter((d) => d.frame < from || d.frame > to)].sort((a, b) => a.frame - b.frame);
  const obs = smoothSizes(all);
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
  // Carry the track beyond its ends along its motion (from its two outermost detections at least a sampling step
  // apart), growing the box with the distance carried and with its speed (the face may have changed course or
  // pace). Linear in the frames carried, so a keyframe at the far end gives the same box in every frame between.
  const carry = (from: Observation, toFrame: number, direction: 1 | -1): Box => {
    const n = Math.abs(toFrame - from.frame);
    const neighbour = direction > 0 ? [...obs].reverse().find((ob) => from.frame - ob.frame >= 2) : obs.find((ob) => ob.frame - from.frame >= 2);
    let vx = 0;
    let vy = 0;
    if (neighbour) {
      vx = (from.x + from.w / 2 - (neighbour.x + neighbour.w / 2)) / (from.frame - neighbour.frame);
      vy = (from.y + from.h / 2 - (neighbour.y + neighbour.h / 2)) / (from.frame - neighbour.frame);
    }
    const grow = 1 + 0.02 * n;
    const cx = from.x + from.w / 2 + vx * (toFrame - from.frame);
    const cy = from.y + from.h / 2 + vy * (toFrame - from.frame);
    const w = from.w * grow + Math.abs(vx) * n * 0.5;
    const h = from.h * grow + Math.abs(vy) * n * 0.5;
    return { x: cx - w / 2, y: cy - h / 2, w, h };
  };
  const [segStart] = segmentOf(cuts, first.frame, frames);
  const [, segEnd] = segmentOf(cuts, last.frame, frames);
  // Alive at the start (or end) of its clip or cut: carried to it; else by extendFrames before its first detection
  // and holdFrames after its last (a lost face is kept covered that long).
  const startFrame = first.frame - o.maxGapFrames <= segStart ? segStart : Math.max(segStart, first.frame - o.extendFrames);
  if (startFrame < first.frame) out.unshift({ frame: startFrame, ...roundBox(widen(carry(first, startFrame, -1))), source: 'extended' });
  const hold = Math.max(o.extendFrames, o.holdFrames ?? o.extendFrames);
  const endFrame = last.frame + o.maxGapFrames >= segEnd ? segEnd : Math.min(segEnd, last.frame + hold);
  if (endFrame > last.frame) out.push({ frame: endFrame, ...roundBox(widen(carry(last, endFrame, 1))), source: 'extended' });
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
