// The contact sheet: one thumbnail per track with its id, so an operator can review the plan (which track is the
// requester's child, which one is a false detection) before rendering. It shows faces unredacted: it is personal
// data, written 0600, and belongs with the plan, not in what is handed over.
import { createHash } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import type { Frame } from '../detect/image.js';
import { planes } from '../detect/image.js';
import { boxAt, type PlanTrack, type RedactionPlan } from '../plan.js';
import { progressMeter, type ProgressCallback } from '../progress.js';
import { decodeFrames, probeClip, tools as resolveTools } from '../video.js';
import { drawText, textWidth } from './font.js';
import { encodePng } from './png.js';

const CELL = 128;
const LABEL = 22;
const GAP = 6;
const COLUMNS = 8;

export interface ContactSheetRequest {
  plan: RedactionPlan;
  input: string;
  output: string;
  ffmpeg?: { path?: string; ffprobe?: string };
  onProgress?: ProgressCallback;
}

export interface ContactSheetResult {
  file: string;
  sha256: string;
  width: number;
  height: number;
  tracks: { id: string; kind: PlanTrack['kind']; frame: number }[];
}

/** The frame that shows a track best: its most certain detection, else its first keyframe. */
export function thumbnailFrame(track: PlanTrack): number {
  const detected = track.keyframes.filter((k) => k.source === 'detected');
  if (!detected.length) return track.keyframes[0]!.frame;
  return detected.reduce((best, k) => ((k.score ?? 0) > (best.score ?? 0) || ((k.score ?? 0) === (best.score ?? 0) && k.w * k.h > best.w * best.h) ? k : best)).frame;
}

export async function writeContactSheet(request: ContactSheetRequest): Promise<ContactSheetResult> {
  const { plan } = request;
  const t = resolveTools({ ...(request.ffmpeg?.path ? { ffmpeg: request.ffmpeg.path } : {}), ...(request.ffmpeg?.ffprobe ? { ffprobe: request.ffmpeg.ffprobe } : {}) });
  const info = await probeClip(t, request.input);
  const wanted = plan.tracks.map((tr) => ({ track: tr, frame: thumbnailFrame(tr) }));
  const needed = new Set(wanted.map((w) => w.frame));
  const lastNeeded = Math.max(-1, ...needed);
  const fps = info.fps.num / info.fps.den;

  const n = Math.max(1, wanted.length);
  const cols = Math.min(COLUMNS, n);
  const rows = Math.ceil(n / cols);
  const width = cols * CELL + (cols + 1) * GAP;
  const height = rows * (CELL + LABEL) + (rows + 1) * GAP;
  const rgb = new Uint8Array(width * height * 3).fill(40);

  const cellOrigin = (i: number) => ({ x: GAP + (i % cols) * (CELL + GAP), y: GAP + Math.floor(i / cols) * (CELL + LABEL + GAP) });
  const meter = progressMeter('sheet', lastNeeded + 1, request.onProgress);
  if (lastNeeded >= 0) {
    let index = 0;
    for await (const frame of decodeFrames(t, request.input, info, { start: plan.input.startSeconds, duration: (lastNeeded + 1.5) / fps })) {
      if (needed.has(index)) {
        for (const [i, w] of wanted.entries()) {
          if (w.frame !== index) continue;
          const box = boxAt(w.track, index)!;
          const o = cellOrigin(i);
          blitThumbnail(frame, box, rgb, width, o.x, o.y);
        }
      }
      meter.tick(index + 1);
      if (++index > lastNeeded) break;
    }
    meter.end(index);
  }
  for (const [i, w] of wanted.entries()) {
    const o = cellOrigin(i);
    const label = w.track.id.length > 20 ? `${w.track.id.slice(0, 19)}.` : w.track.id;
    drawText(rgb, width, height, label, o.x + Math.max(0, (CELL - textWidth(label, 2)) >> 1), o.y + CELL + 4, 2, [255, 255, 255]);
  }
  if (!wanted.length) drawText(rgb, width, height, 'NO TRACKS', GAP + 8, GAP + 8, 2, [255, 255, 255]);

  const png = encodePng(rgb, width, height);
  const tmp = `${request.output}.tmp-${process.pid}`;
  await writeFile(tmp, png, { mode: 0o600 });
  await rename(tmp, request.output);
  return {
    file: request.output,
    sha256: createHash('sha256').update(png).digest('hex'),
    width,
    height,
    tracks: wanted.map((w) => ({ id: w.track.id, kind: w.track.kind, frame: w.frame })),
  };
}

/** Copies the box of a frame, scaled to fit a CELL×CELL square (nearest sample), into the sheet. */
function blitThumbnail(frame: Frame, box: { x: number; y: number; w: number; h: number }, rgb: Uint8Array, sheetWidth: number, ox: number, oy: number): void {
  const [yp, up, vp] = planes(frame);
  const scale = CELL / Math.max(box.w, box.h);
  const tw = Math.max(1, Math.round(box.w * scale));
  const th = Math.max(1, Math.round(box.h * scale));
  const dx0 = ox + ((CELL - tw) >> 1);
  const dy0 = oy + ((CELL - th) >> 1);
  for (let y = 0; y < th; y++) {
    const sy = Math.floor(box.y + (y + 0.5) / scale);
    for (let x = 0; x < tw; x++) {
      const sx = Math.floor(box.x + (x + 0.5) / scale);
      const o = ((dy0 + y) * sheetWidth + dx0 + x) * 3;
      if (sx < 0 || sy < 0 || sx >= frame.width || sy >= frame.height) {
        rgb[o] = rgb[o + 1] = rgb[o + 2] = 20;
        continue;
      }
      const Y = frame.data[yp.offset + sy * yp.width + sx]!;
      const c = (sy >> 1) * up.width + (sx >> 1);
      const U = frame.data[up.offset + c]! - 128;
      const V = frame.data[vp.offset + c]! - 128;
      const l = 1.164 * (Y - 16);
      rgb[o] = clamp(l + 1.596 * V);
      rgb[o + 1] = clamp(l - 0.392 * U - 0.813 * V);
      rgb[o + 2] = clamp(l + 2.017 * U);
    }
  }
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
