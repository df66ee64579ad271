// Reading redacted video back: luma planes, the pixels of a box, how much a box changed, whether it is a mosaic, and
// which track of a plan follows an actor of a face scene. For tests that check what a person would see.
import { execFileSync } from 'node:child_process';
import { resolveTool } from '../../src/core/media/index.js';
import { blockSize, boxAt, type Box, type RedactionPlan } from '../../src/core/redaction/index.js';
import { coverage, type TruthEntry } from './face-scene.mjs';

export interface FrameSize {
  width: number;
  height: number;
}

/** Luma planes of every frame of a clip. */
export function lumaFrames(file: string, { width, height }: FrameSize): Uint8Array[] {
  const raw = execFileSync(resolveTool('ffmpeg').path, ['-v', 'error', '-i', file, '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 1 << 28 });
  const out: Uint8Array[] = [];
  for (let o = 0; o + width * height <= raw.length; o += width * height) out.push(new Uint8Array(raw.buffer, raw.byteOffset + o, width * height));
  return out;
}

/** Pixels of a box (clipped to the picture). */
export function pixels(luma: Uint8Array, b: Box, { width, height }: FrameSize): number[] {
  const out: number[] = [];
  for (let y = Math.max(0, Math.ceil(b.y)); y < Math.min(height, Math.floor(b.y + b.h)); y++)
    for (let x = Math.max(0, Math.ceil(b.x)); x < Math.min(width, Math.floor(b.x + b.w)); x++) out.push(luma[y * width + x]!);
  return out;
}

export const meanAbsDiff = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / Math.max(1, a.length);

/**
 * Mean distance of each pixel from the mean of its mosaic block, blocks laid from the box's origin as planned (near 0
 * for a mosaic). Blocks that touch `leaveOut` (a privacy mask painted over the mosaic) are not measured; NaN when no
 * block was.
 */
export function blockSpread(luma: Uint8Array, box: Box, size: FrameSize, leaveOut?: Box): number {
  const b = blockSize(box.h);
  let total = 0;
  let n = 0;
  for (let by = Math.floor(box.y); by + b <= Math.min(size.height, Math.ceil(box.y + box.h)); by += b)
    for (let bx = Math.floor(box.x); bx + b <= Math.min(size.width, Math.ceil(box.x + box.w)); bx += b) {
      if (bx < 0 || by < 0) continue;
      if (leaveOut && bx + b > leaveOut.x && bx < leaveOut.x + leaveOut.w && by + b > leaveOut.y && by < leaveOut.y + leaveOut.h) continue;
      const values = pixels(luma, { x: bx, y: by, w: b, h: b }, size);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      total += values.reduce((s, v) => s + Math.abs(v - mean), 0);
      n += values.length;
    }
  return n ? total / n : Number.NaN;
}

/** The track of a plan that follows an actor of the scene: the one covering most of its frames. */
export function trackOf(plan: RedactionPlan, truth: TruthEntry[][], actor: number, { width, height }: FrameSize): string {
  const votes = new Map<string, number>();
  truth.forEach((here, f) => {
    for (const g of here.filter((x) => x.actor === actor)) {
      for (const t of plan.tracks) {
        const b = boxAt(t, f);
        if (b && coverage(g.box, [b], width, height, 2).share > 0.5) votes.set(t.id, (votes.get(t.id) ?? 0) + 1);
      }
    }
  });
  const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best) throw new Error(`no track of the plan follows actor ${actor}`);
  return best[0];
}
