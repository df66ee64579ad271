// Motion gating: BlazeFace's fine pass (full resolution, for the small faces) is most of the detector's cost, and in
// most of the picture nothing has changed since the detector last looked. So the fine pass runs only on the parts
// of a sampled frame whose picture changed since the previous sampled frame (with a margin that holds a whole face
// and its surroundings), and over the whole frame every `fullEvery`-th sampled frame, so a face that has stopped
// moving is still seen at least that often (tracking holds a face through two seconds without a detection; the
// default full pass comes every 24 frames). The coarse pass for the large faces always sees the whole frame.
// The decision depends on the pictures only, so the same clip always gives the same plan.
import type { Frame } from './detect/index.js';
import type { Rect } from './detect/types.js';

export interface GateOptions {
  /** A full fine pass every n-th sampled frame (default 8). */
  fullEvery: number;
  /** Mean change of luma (0–255) over a 16×16 cell that counts as motion (default 6). */
  threshold: number;
}

export const DEFAULT_GATE: GateOptions = { fullEvery: 8, threshold: 6 };

const CELL = 16;
/** Luma samples per cell side (every 4th pixel). */
const SAMPLES = 4;
/** Changed cells are widened by this many cells (32 px) … */
const DILATE = 2;
/** … and each region by this much picture around it (the network sees a face's surroundings), in pixels. */
const CONTEXT = 32;
/** Regions are aligned to the network's stride. */
const ALIGN = 32;
/** Above this share of the picture, one pass over the whole frame is cheaper than the regions. */
const MAX_SHARE = 0.75;

export class MotionGate {
  private readonly cols: number;
  private readonly rows: number;
  private previous: Uint8Array | undefined;
  private sampled = 0;
  /** Sampled frames seen, and how many got regions instead of the whole frame (for the plan and the benchmark). */
  readonly stats = { frames: 0, gated: 0, area: 0 };

  constructor(
    private readonly width: number,
    private readonly height: number,
    readonly options: GateOptions = DEFAULT_GATE,
  ) {
    this.cols = Math.ceil(width / CELL);
    this.rows = Math.ceil(height / CELL);
  }

  /**
   * The regions of the next sampled frame for the fine pass, or undefined for the whole frame. Call once per
   * sampled frame, in order.
   */
  regions(frame: Frame, whole = false): Rect[] | undefined {
    const summary = summarise(frame, this.cols, this.rows);
    const previous = this.previous;
    this.previous = summary;
    const n = this.sampled++;
    this.stats.frames++;
    if (whole || !previous || n % this.options.fullEvery === 0) return undefined;
    const changed = new Uint8Array(this.cols * this.rows);
    const limit = this.options.threshold * SAMPLES * SAMPLES;
    let any = false;
    for (let c = 0; c < changed.length; c++) {
      let sum = 0;
      const o = c * SAMPLES * SAMPLES;
      for (let k = 0; k < SAMPLES * SAMPLES; k++) sum += Math.abs(summary[o + k]! - previous[o + k]!);
      if (sum > limit) {
        changed[c] = 1;
        any = true;
      }
    }
    if (!any) {
      this.stats.gated++;
      return [];
    }
    const rects = this.rectangles(this.dilate(changed));
    const area = rects.reduce((s, r) => s + r.w * r.h, 0);
    if (area > MAX_SHARE * this.width * this.height) return undefined;
    this.stats.gated++;
    this.stats.area += area / (this.width * this.height);
    return rects;
  }

  private dilate(cells: Uint8Array): Uint8Array {
    const out = new Uint8Array(cells.length);
    for (let y = 0; y < this.rows; y++)
      for (let x = 0; x < this.cols; x++) {
        if (!cells[y * this.cols + x]) continue;
        for (let dy = -DILATE; dy <= DILATE; dy++)
          for (let dx = -DILATE; dx <= DILATE; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy >= 0 && xx >= 0 && yy < this.rows && xx < this.cols) out[yy * this.cols + xx] = 1;
          }
      }
    return out;
  }

  /** Bounding boxes of the connected marked cells, widened by the context, aligned, merged where they overlap. */
  private rectangles(cells: Uint8Array): Rect[] {
    const seen = new Uint8Array(cells.length);
    let rects: Rect[] = [];
    for (let start = 0; start < cells.length; start++) {
      if (!cells[start] || seen[start]) continue;
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      const stack = [start];
      seen[start] = 1;
      while (stack.length) {
        const c = stack.pop()!;
        const cx = c % this.cols;
        const cy = (c - cx) / this.cols;
        x0 = Math.min(x0, cx);
        y0 = Math.min(y0, cy);
        x1 = Math.max(x1, cx);
        y1 = Math.max(y1, cy);
        for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
          const xx = cx + dx;
          const yy = cy + dy;
          if (xx < 0 || yy < 0 || xx >= this.cols || yy >= this.rows) continue;
          const k = yy * this.cols + xx;
          if (cells[k] && !seen[k]) {
            seen[k] = 1;
            stack.push(k);
          }
        }
      }
      rects.push(this.frameRect(x0 * CELL - CONTEXT, y0 * CELL - CONTEXT, (x1 + 1) * CELL + CONTEXT, (y1 + 1) * CELL + CONTEXT));
    }
    // Overlapping regions become their common bounding box (until none overlap), so no picture is looked at twice.
    for (let merged = true; merged; ) {
      merged = false;
      outer: for (let i = 0; i < rects.length; i++)
        for (let j = i + 1; j < rects.length; j++) {
          const a = rects[i]!;
          const b = rects[j]!;
          if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
            const r = this.frameRect(Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x + a.w, b.x + b.w), Math.max(a.y + a.h, b.y + b.h));
            rects = rects.filter((_, k) => k !== i && k !== j);
            rects.push(r);
            merged = true;
            break outer;
          }
        }
    }
    return rects.sort((a, b) => a.y - b.y || a.x - b.x);
  }

  /** A rectangle of whole strides, as far as possible inside the picture. */
  private frameRect(x0: number, y0: number, x1: number, y1: number): Rect {
    const w = Math.min(Math.ceil(this.width / ALIGN) * ALIGN, Math.ceil((x1 - x0) / ALIGN) * ALIGN);
    const h = Math.min(Math.ceil(this.height / ALIGN) * ALIGN, Math.ceil((y1 - y0) / ALIGN) * ALIGN);
    const x = Math.max(0, Math.min(x0, this.width - w));
    const y = Math.max(0, Math.min(y0, this.height - h));
    return { x, y, w, h };
  }
}

/** Every 4th luma pixel of each 16×16 cell, cell by cell. */
function summarise(frame: Frame, cols: number, rows: number): Uint8Array {
  const out = new Uint8Array(cols * rows * SAMPLES * SAMPLES);
  const { data, width, height } = frame;
  const step = CELL / SAMPLES;
  let o = 0;
  for (let cy = 0; cy < rows; cy++)
    for (let cx = 0; cx < cols; cx++)
      for (let j = 0; j < SAMPLES; j++) {
        const y = Math.min(height - 1, cy * CELL + j * step + (step >> 1));
        const row = y * width;
        for (let i = 0; i < SAMPLES; i++) out[o++] = data[row + Math.min(width - 1, cx * CELL + i * step + (step >> 1))]!;
      }
  return out;
}

/**
 * Cuts: a frame whose picture differs from the frame before almost everywhere (a camera switching view, clips
 * joined). Tracks never run across a cut; each side is carried to it. A person walking past the camera changes a
 * part of the picture, a cut all of it: more than 60 % of the cells change by more than 40 of 255 on average.
 */
export class CutDetector {
  private readonly cols: number;
  private readonly rows: number;
  private previous: Uint8Array | undefined;

  constructor(width: number, height: number) {
    this.cols = Math.ceil(width / CELL);
    this.rows = Math.ceil(height / CELL);
  }

  /** Call for every frame, in order. */
  isCut(frame: Frame): boolean {
    const summary = summarise(frame, this.cols, this.rows);
    const previous = this.previous;
    this.previous = summary;
    if (!previous) return false;
    const n = SAMPLES * SAMPLES;
    let changed = 0;
    for (let c = 0; c < this.cols * this.rows; c++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += Math.abs(summary[c * n + k]! - previous[c * n + k]!);
      if (sum > 40 * n) changed++;
    }
    return changed > 0.6 * this.cols * this.rows;
  }
}
