import type { ModelInfo } from '../model/models.js';
import type { Frame } from './image.js';

export type DetectionKind = 'face' | 'person';

/** A box in source-frame pixels. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A rectangle of whole pixels in a frame. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Where to look closely: the fine pass (small faces) runs only on these parts of the frame; without them, on all of
 * it. Detectors that have no such pass look everywhere.
 */
export interface DetectHint {
  regions?: readonly Rect[] | undefined;
  /**
   * Look only in `regions`, at the scale that suits faces of about `faceHeight` px (dense detection around a track;
   * no coarse pass over the whole frame).
   */
  only?: { faceHeight: number } | undefined;
  /** Skip the coarse pass (nothing moved since it last looked and the fine pass is limited to regions). */
  skipCoarse?: boolean | undefined;
}

export interface Detection extends Box {
  kind: DetectionKind;
  score: number;
  /** Colour signature of the head (faces), for re-identification; see signature.ts. Not written to the plan. */
  signature?: number[];
  /** Face landmarks (eyes, nose, mouth, ears) as x,y pairs in source pixels, when the model gives them. */
  landmarks?: number[];
}

/** Something that finds faces or persons in one frame. Tests wrap the real one to force misses. */
export interface Detector {
  readonly kinds: readonly DetectionKind[];
  readonly models: readonly ModelInfo[];
  /** Settings that shaped the detections, recorded in the plan. */
  readonly settings: Record<string, unknown>;
  /** Runtime that ran the models, e.g. onnxruntime-node 1.30.0. */
  readonly runtime: string;
  /** Finds what is in a frame; may read the frame until the promise settles. */
  detect(frame: Frame, index: number, hint?: DetectHint): Promise<Detection[]>;
  close(): Promise<void>;
}

export function iou(a: Box, b: Box): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.w, b.x + b.w);
  const y2 = Math.min(a.y + a.h, b.y + b.h);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy non-maximum suppression, best score first. */
export function nms<T extends Detection>(items: T[], threshold: number): T[] {
  const sorted = [...items].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const d of sorted) {
    if (!kept.some((k) => k.kind === d.kind && (iou(k, d) > threshold || contains(k, d)))) kept.push(d);
  }
  return kept;
}

/** b lies (almost) wholly inside a: the same face found at two scales. */
function contains(a: Box, b: Box): boolean {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.w, b.x + b.w);
  const y2 = Math.min(a.y + a.h, b.y + b.h);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  return inter > 0.8 * Math.min(a.w * a.h, b.w * b.h);
}
