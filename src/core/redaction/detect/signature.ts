// A colour signature of a face and the hair around it, for re-identification: after two people cross, or a face is
// lost for a moment, the tracker tells whether a face found again is the same person. A joint histogram of luma and
// both chroma channels (4 × 4 × 4 bins) over the head box, sampled on a grid; it costs microseconds, where a face
// description network would cost more than the detector itself on six faces a frame. It tells people apart by
// skin, hair and lighting, not by identity: good enough to keep two tracks from swapping, never to recognise anyone.
import { planes, type Frame } from './image.js';
import type { Box } from './types.js';

const BINS = 4;
const GRID = 14;

export function colourSignature(frame: Frame, face: Box): number[] {
  const [y, u, v] = planes(frame);
  const hist = new Array<number>(BINS * BINS * BINS).fill(0);
  // The face and some hair above it; not the background beside it.
  const x0 = face.x + face.w * 0.1;
  const y0 = face.y - face.h * 0.15;
  const w = face.w * 0.8;
  const h = face.h * 1.1;
  let n = 0;
  for (let j = 0; j < GRID; j++) {
    const py = Math.floor(y0 + ((j + 0.5) / GRID) * h);
    if (py < 0 || py >= frame.height) continue;
    for (let i = 0; i < GRID; i++) {
      const px = Math.floor(x0 + ((i + 0.5) / GRID) * w);
      if (px < 0 || px >= frame.width) continue;
      const l = y.data[y.offset + py * y.width + px]!;
      const c = (py >> 1) * u.width + (px >> 1);
      const cb = u.data[u.offset + c]!;
      const cr = v.data[v.offset + c]!;
      hist[((l >> 6) * BINS + (cb >> 6)) * BINS + (cr >> 6)]! += 1;
      n++;
    }
  }
  return n ? hist.map((c) => Math.round((c / n) * 1000) / 1000) : hist;
}

/** Bhattacharyya coefficient of two signatures: 1 for the same distribution, 0 for nothing in common. */
export function similarity(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.sqrt(a[i]! * (b[i] ?? 0));
  return s;
}

/** A running signature: mostly the past, a little of the newest look (lighting changes as people walk). */
export function blend(a: readonly number[], b: readonly number[], weight = 0.3): number[] {
  return a.map((v, i) => v * (1 - weight) + (b[i] ?? 0) * weight);
}
