// Frames as the decoder hands them over (planar YUV 4:2:0, 8 bit) and their conversion into a detector's input
// tensor: RGB, NCHW, scaled and zero-padded to a multiple of the network's stride.

export interface Frame {
  width: number;
  height: number;
  /** yuv420p: Y plane, then U, then V (each chroma plane (width/2)×(height/2), rounded up). */
  data: Uint8Array;
}

export function frameBytes(width: number, height: number): number {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  return width * height + 2 * cw * ch;
}

export interface Plane {
  data: Uint8Array;
  offset: number;
  width: number;
  height: number;
}

export function planes(frame: Frame): [Plane, Plane, Plane] {
  const { width, height, data } = frame;
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  return [
    { data, offset: 0, width, height },
    { data, offset: width * height, width: cw, height: ch },
    { data, offset: width * height + cw * ch, width: cw, height: ch },
  ];
}

export interface TensorInput {
  data: Float32Array;
  /** Padded tensor size. */
  width: number;
  height: number;
  /** Input pixels per source pixel, across and down. */
  scaleX: number;
  scaleY: number;
  /** Where the tensor's origin lies in the frame (source pixels). */
  originX: number;
  originY: number;
}

/** A part of a frame, in source pixels; it may reach past the picture (that part is padding). */
export interface SourceRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Converts a frame — or a part of it — to a normalised RGB tensor ([-1, 1], NCHW) at `scale` (≤ 1; box-averaged
 * when reducing), padded with mid-grey up to a multiple of `multiple`. BT.601 limited range, which is what cameras
 * send. `range` raw gives 0–255 instead, for models that normalise inside.
 */
export function toTensor(frame: Frame, scale: number, multiple: number, reuse?: Float32Array, range: 'signed' | 'raw' = 'signed', rect?: SourceRect): TensorInput {
  const r = rect ?? { x: 0, y: 0, w: frame.width, h: frame.height };
  const sw = Math.max(1, Math.round(r.w * scale));
  const sh = Math.max(1, Math.round(r.h * scale));
  const width = Math.ceil(sw / multiple) * multiple;
  const height = Math.ceil(sh / multiple) * multiple;
  const area = width * height;
  const data = reuse && reuse.length === area * 3 ? reuse : new Float32Array(area * 3);
  const k = range === 'signed' ? 1 / 127.5 : 1;
  const off = range === 'signed' ? -1 : 0;
  data.fill(range === 'signed' ? 0 : 127.5);
  const [yp, up, vp] = planes(frame);
  const src = frame.data;
  const fx = r.w / sw;
  const fy = r.h / sh;
  if (sw === r.w && sh === r.h) {
    fullSize(frame, r, data, width, area, k, off);
    return { data, width, height, scaleX: 1, scaleY: 1, originX: r.x, originY: r.y };
  }
  const step = Math.max(1, Math.floor(fx)); // samples per axis when reducing
  const inv = 1 / (step * step);
  for (let y = 0; y < sh; y++) {
    const sy0 = Math.min(frame.height - step, r.y + Math.floor(y * fy));
    if (sy0 < 0) continue;
    for (let x = 0; x < sw; x++) {
      const sx0 = Math.min(frame.width - step, r.x + Math.floor(x * fx));
      if (sx0 < 0) continue;
      let Y = 0;
      let U = 0;
      let V = 0;
      for (let j = 0; j < step; j++) {
        const row = yp.offset + (sy0 + j) * yp.width;
        const crow = ((sy0 + j) >> 1) * up.width;
        for (let i = 0; i < step; i++) {
          Y += src[row + sx0 + i]!;
          const c = crow + ((sx0 + i) >> 1);
          U += src[up.offset + c]!;
          V += src[vp.offset + c]!;
        }
      }
      const c = 1.164 * (Y * inv - 16);
      const d = U * inv - 128;
      const e = V * inv - 128;
      const o = y * width + x;
      // (value / 127.5 - 1), clamped to [0, 255] first
      data[o] = clamp(c + 1.596 * e) * k + off;
      data[o + area] = clamp(c - 0.392 * d - 0.813 * e) * k + off;
      data[o + 2 * area] = clamp(c + 2.017 * d) * k + off;
    }
  }
  return { data, width, height, scaleX: sw / r.w, scaleY: sh / r.h, originX: r.x, originY: r.y };
}

/** The common case, no scaling: one pass over the planes, chroma shared by each pair of pixels. */
function fullSize(frame: Frame, r: SourceRect, data: Float32Array, width: number, area: number, k: number, off: number): void {
  const [yp, up, vp] = planes(frame);
  const src = frame.data;
  const y0 = Math.max(0, r.y);
  const y1 = Math.min(frame.height, r.y + r.h);
  const x0 = Math.max(0, r.x);
  const x1 = Math.min(frame.width, r.x + r.w);
  for (let y = y0; y < y1; y++) {
    const row = yp.offset + y * yp.width;
    const crow = (y >> 1) * up.width;
    const o = (y - r.y) * width - r.x;
    for (let x = x0; x < x1; x++) {
      const c = 1.164 * (src[row + x]! - 16);
      const ci = crow + (x >> 1);
      const d = src[up.offset + ci]! - 128;
      const e = src[vp.offset + ci]! - 128;
      let rr = c + 1.596 * e;
      let g = c - 0.392 * d - 0.813 * e;
      let b = c + 2.017 * d;
      rr = rr < 0 ? 0 : rr > 255 ? 255 : rr;
      g = g < 0 ? 0 : g > 255 ? 255 : g;
      b = b < 0 ? 0 : b > 255 ? 255 : b;
      data[o + x] = rr * k + off;
      data[o + x + area] = g * k + off;
      data[o + x + 2 * area] = b * k + off;
    }
  }
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}
