// Persons: CenterNet (MobileNetV3 backbone, COCO) on a copy of the frame whose long side is the model's 512 px.
// Its heat map (stride 4, one channel per COCO class) peaks at object centres; the size head gives the distances
// from the centre to the box's sides. Only class 0, person, is used. Decoded here rather than in the graph.
import { loadModel, type ModelInfo } from '../model/models.js';
import { openSession, runtimeName, type ModelSession } from '../model/runtime.js';
import { toTensor, type Frame } from './image.js';
import { nms, type Detection } from './types.js';

const HEAT = 'tower_0/keypoints';
const SIZE = 'tower_0/wh';
const PERSON = 0;

export interface PersonFinder {
  readonly model: ModelInfo;
  readonly settings: Record<string, unknown>;
  readonly runtime: string;
  find(frame: Frame): Promise<Detection[]>;
  close(): Promise<void>;
}

export async function openPersonFinder(options: { threshold?: number; threads?: number } = {}): Promise<PersonFinder> {
  const model = loadModel('centernet');
  const threshold = options.threshold ?? 0.4;
  const threads = options.threads ?? 1;
  const sessions = new Map<string, ModelSession>();
  let buffer: Float32Array | undefined;
  return {
    model: model.info,
    runtime: runtimeName(),
    settings: { threshold, longSide: model.nativeInput.width },
    async find(frame) {
      const scale = Math.min(1, model.nativeInput.width / Math.max(frame.width, frame.height));
      const t = toTensor(frame, scale, 32, buffer, 'raw');
      buffer = t.data;
      const key = `${t.width}x${t.height}`;
      let s = sessions.get(key);
      if (!s) {
        s = await openSession(model, { height: t.height, width: t.width }, [HEAT, SIZE], { threads });
        sessions.set(key, s);
      }
      const out = await s.run(t.data, t.height, t.width);
      const heat = out[HEAT]!;
      const size = out[SIZE]!;
      const gh = heat.dims[2]!;
      const gw = heat.dims[3]!;
      const plane = gh * gw;
      const stride = t.height / gh;
      const found: Detection[] = [];
      const base = PERSON * plane;
      for (let gy = 0; gy < gh; gy++) {
        for (let gx = 0; gx < gw; gx++) {
          const i = gy * gw + gx;
          const v = heat.data[base + i]!;
          if (v < threshold) continue;
          // A peak: no neighbour higher (the 3×3 max-pool test of CenterNet).
          let peak = true;
          for (let dy = -1; dy <= 1 && peak; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const y = gy + dy;
              const x = gx + dx;
              if ((dx || dy) && y >= 0 && x >= 0 && y < gh && x < gw && heat.data[base + y * gw + x]! > v) {
                peak = false;
                break;
              }
            }
          if (!peak) continue;
          const x1 = gx * stride - size.data[i]!;
          const y1 = gy * stride - size.data[plane + i]!;
          const x2 = gx * stride + size.data[2 * plane + i]!;
          const y2 = gy * stride + size.data[3 * plane + i]!;
          if (!(x2 > x1 && y2 > y1)) continue;
          found.push({ kind: 'person', score: v, x: x1 / t.scaleX, y: y1 / t.scaleY, w: (x2 - x1) / t.scaleX, h: (y2 - y1) / t.scaleY });
        }
      }
      return nms(found, 0.5);
    },
    async close() {
      for (const s of sessions.values()) await s.release();
      sessions.clear();
    },
  };
}
