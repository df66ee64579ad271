// Making regions of a raw yuv420p frame unrecognisable, in place: a solid fill, or a mosaic whose blocks are at
// least an eighth of the region's height (the region is the face with its margin, so each block spans more than an
// eighth of the face). No blur: a blur can be partly undone; averaging whole blocks throws the detail away.
import { planes, type Frame, type Plane } from './detect/image.js';
import type { Box } from './detect/types.js';

export type RedactionStyle = 'pixelate' | 'fill';

/** Black in limited-range YUV. */
const FILL = [16, 128, 128] as const;

/** Integer pixel bounds of a box inside the picture, or undefined when it lies wholly outside. */
export function clip(box: Box, width: number, height: number): { x0: number; y0: number; x1: number; y1: number } | undefined {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.w));
  const y1 = Math.min(height, Math.ceil(box.y + box.h));
  return x1 > x0 && y1 > y0 ? { x0, y0, x1, y1 } : undefined;
}

/** The mosaic block size (luma pixels) for a region of height h. */
export function blockSize(h: number): number {
  return Math.max(4, Math.ceil(h / 8));
}

export function paintBox(frame: Frame, box: Box, style: RedactionStyle): void {
  const r = clip(box, frame.width, frame.height);
  if (!r) return;
  const [yp, up, vp] = planes(frame);
  if (style === 'fill') {
    fillRect(yp, r.x0, r.y0, r.x1, r.y1, FILL[0]);
    const c = chromaRect(r);
    fillRect(up, c.x0, c.y0, c.x1, c.y1, FILL[1]);
    fillRect(vp, c.x0, c.y0, c.x1, c.y1, FILL[2]);
    return;
  }
  // Blocks are laid from the box's own origin (not clipped), so a face leaving the picture keeps its grid.
  const b = blockSize(box.h);
  const ox = Math.floor(box.x);
  const oy = Math.floor(box.y);
  mosaic(yp, r, b, ox, oy);
  const c = chromaRect(r);
  const cb = Math.max(2, b >> 1);
  mosaic(up, c, cb, ox >> 1, oy >> 1);
  mosaic(vp, c, cb, ox >> 1, oy >> 1);
}

function chromaRect(r: { x0: number; y0: number; x1: number; y1: number }) {
  return { x0: r.x0 >> 1, y0: r.y0 >> 1, x1: (r.x1 + 1) >> 1, y1: (r.y1 + 1) >> 1 };
}

function fillRect(p: Plane, x0: number, y0: number, x1: number, y1: number, value: number): void {
  for (let y = y0; y < Math.min(y1, p.height); y++) {
    const row = p.offset + y * p.width;
    p.data.fill(value, row + x0, row + Math.min(x1, p.width));
  }
}

function mosaic(p: Plane, r: { x0: number; y0: number; x1: number; y1: number }, block: number, ox: number, oy: number): void {
  const x1 = Math.min(r.x1, p.width);
  const y1 = Math.min(r.y1, p.height);
  const startY = oy + Math.floor((r.y0 - oy) / block) * block;
  const startX = ox + Math.floor((r.x0 - ox) / block) * block;
  for (let by = startY; by < y1; by += block) {
    const ya = Math.max(by, r.y0);
    const yb = Math.min(by + block, y1);
    for (let bx = startX; bx < x1; bx += block) {
      const xa = Math.max(bx, r.x0);
      const xb = Math.min(bx + block, x1);
      let sum = 0;
      for (let y = ya; y < yb; y++) {
        const row = p.offset + y * p.width;
        for (let x = xa; x < xb; x++) sum += p.data[row + x]!;
      }
      const avg = Math.round(sum / ((yb - ya) * (xb - xa)));
      for (let y = ya; y < yb; y++) {
        const row = p.offset + y * p.width;
        p.data.fill(avg, row + xa, row + xb);
      }
    }
  }
}

/** A static mask as horizontal spans per plane, computed once per clip. */
export interface RasterMask {
  luma: Int32Array; // triples y, x0, x1
  chroma: Int32Array;
}

/** Rasterises a polygon in relative coordinates (pixel centres inside, even-odd rule). */
export function rasterisePolygon(polygon: readonly (readonly [number, number])[], width: number, height: number): RasterMask {
  const spans = (w: number, h: number): Int32Array => {
    const pts = polygon.map(([x, y]) => [x * w, y * h] as const);
    const out: number[] = [];
    for (let y = 0; y < h; y++) {
      const cy = y + 0.5;
      const xs: number[] = [];
      for (let i = 0; i < pts.length; i++) {
        const [ax, ay] = pts[i]!;
        const [bx, by] = pts[(i + 1) % pts.length]!;
        if ((ay <= cy && by > cy) || (by <= cy && ay > cy)) xs.push(ax + ((cy - ay) / (by - ay)) * (bx - ax));
      }
      xs.sort((a, b) => a - b);
      for (let i = 0; i + 1 < xs.length; i += 2) {
        const x0 = Math.max(0, Math.ceil(xs[i]! - 0.5));
        const x1 = Math.min(w, Math.ceil(xs[i + 1]! - 0.5));
        if (x1 > x0) out.push(y, x0, x1);
      }
    }
    return Int32Array.from(out);
  };
  return { luma: spans(width, height), chroma: spans(Math.ceil(width / 2), Math.ceil(height / 2)) };
}

export function paintMask(frame: Frame, mask: RasterMask): void {
  const [yp, up, vp] = planes(frame);
  const run = (p: Plane, s: Int32Array, value: number) => {
    for (let i = 0; i < s.length; i += 3) {
      const row = p.offset + s[i]! * p.width;
      p.data.fill(value, row + s[i + 1]!, row + s[i + 2]!);
    }
  };
  run(yp, mask.luma, FILL[0]);
  run(up, mask.chroma, FILL[1]);
  run(vp, mask.chroma, FILL[2]);
}
