// Faces: BlazeFace (back-camera variant) run fully convolutional over the whole frame. Its anchors sit on a 16- and
// a 32-pixel grid and its boxes are offsets from them in input pixels, so running it on a 1280×736 input is the same
// as sliding its 256×256 window over every position, without the overlap a tiling would pay for. Two scales: one
// near full size finds faces from about 16 px high, a quarter-size copy finds the large ones. The fine pass can be
// limited to regions of the frame (motion gating, gate.ts); small inputs also run faster per pixel (they stay in
// the CPU's caches), so a region costs less than its share of the frame.
import { loadModel, type ModelInfo } from '../model/models.js';
import { openSession, runtimeName, type ModelSession } from '../model/runtime.js';
import { toTensor, type Frame, type TensorInput } from './image.js';
import { colourSignature } from './signature.js';
import { nms, type DetectHint, type Detection, type Rect } from './types.js';

const HEADS = {
  score16: 'StatefulPartitionedCall/functional_1/conv2d_33/BiasAdd',
  score32: 'StatefulPartitionedCall/functional_1/conv2d_34/BiasAdd',
  box16: 'StatefulPartitionedCall/functional_1/conv2d_35/BiasAdd',
  box32: 'StatefulPartitionedCall/functional_1/conv2d_36/BiasAdd',
};

export interface FaceDetectorOptions {
  /** Smallest face height (source pixels) to find; decides the scale of the fine pass. Default 16. */
  minFaceHeight?: number;
  /** Score (0–1) a detection needs. Default 0.5. */
  threshold?: number;
  /** ONNX Runtime threads. Default 1. */
  threads?: number;
}

/** The smallest face, in model-input pixels, BlazeFace finds reliably. */
const MODEL_MIN_FACE = 16;

export interface FaceFinder {
  readonly model: ModelInfo;
  readonly settings: Record<string, unknown>;
  readonly runtime: string;
  /** Faces in the frame; the fine pass only in `regions` when given. */
  find(frame: Frame, regions?: readonly Rect[], hint?: Pick<DetectHint, 'only' | 'skipCoarse'>): Promise<Detection[]>;
  close(): Promise<void>;
}

/**
 * Whether a detection can be a face at all: not much smaller than the smallest face looked for (noise and
 * patterns give tiny boxes), not taller than the picture, about square (BlazeFace's boxes are), its eyes above its
 * mouth.
 */
export function faceLike(d: Detection, minFace: number, frame: Pick<Frame, 'height'>): boolean {
  if (d.h < 0.75 * minFace || d.h > frame.height) return false;
  const aspect = d.w / d.h;
  if (aspect < 0.5 || aspect > 2) return false;
  const l = d.landmarks;
  if (l && l.length >= 8) {
    const eyes = (l[1]! + l[3]!) / 2;
    if (!(l[7]! > eyes)) return false;
  }
  return true;
}

export async function openFaceFinder(options: FaceDetectorOptions = {}): Promise<FaceFinder> {
  const model = loadModel('blazeface');
  const minFace = Math.max(4, options.minFaceHeight ?? 16);
  const threshold = options.threshold ?? 0.5;
  const threads = options.threads ?? 1;
  // Fine pass: enlarge nothing (upsampling a tiny face adds no detail the model can use), reduce when the smallest
  // face asked for is larger than the model needs.
  const fine = Math.min(1, MODEL_MIN_FACE / minFace);
  const coarse = fine / 4;
  const logit = Math.log(threshold / (1 - threshold));
  const sessions = new Map<string, ModelSession>();
  const buffers = new Map<number, Float32Array>();
  /** Input of the regions, reused: one frame's worth at most. */
  let scratch = new Float32Array(0);

  async function pass(frame: Frame, scale: number, rect?: Rect): Promise<Detection[]> {
    let t: TensorInput;
    if (rect) {
      const padded = (v: number) => Math.ceil(Math.max(1, Math.round(v * scale)) / 32) * 32;
      const need = 3 * padded(rect.w) * padded(rect.h);
      if (scratch.length < need) scratch = new Float32Array(need);
      t = toTensor(frame, scale, 32, scratch.subarray(0, need), 'signed', rect);
    } else {
      t = toTensor(frame, scale, 32, buffers.get(scale));
      buffers.set(scale, t.data);
    }
    const key = rect ? 'any' : `${t.width}x${t.height}`;
    let s = sessions.get(key);
    if (!s) {
      s = await openSession(model, rect ? 'any' : { height: t.height, width: t.width }, Object.values(HEADS), { threads, alignChannels: 16 });
      sessions.set(key, s);
    }
    const out = await s.run(t.data, t.height, t.width);
    const found: Detection[] = [];
    decode(out[HEADS.score16]!, out[HEADS.box16]!, 16, 2);
    decode(out[HEADS.score32]!, out[HEADS.box32]!, 32, 6);
    return found;

    function decode(scores: { data: Float32Array; dims: readonly number[] }, boxes: { data: Float32Array }, stride: number, anchors: number): void {
      const gh = scores.dims[2]!;
      const gw = scores.dims[3]!;
      const plane = gh * gw;
      for (let k = 0; k < anchors; k++) {
        for (let i = 0; i < plane; i++) {
          const logitValue = scores.data[k * plane + i]!;
          if (logitValue < logit) continue;
          const gy = Math.floor(i / gw);
          const gx = i % gw;
          const base = k * 16;
          const cx = (gx + 0.5) * stride + boxes.data[base * plane + i]!;
          const cy = (gy + 0.5) * stride + boxes.data[(base + 1) * plane + i]!;
          const w = boxes.data[(base + 2) * plane + i]!;
          const h = boxes.data[(base + 3) * plane + i]!;
          if (!(w > 0 && h > 0)) continue;
          const landmarks: number[] = [];
          for (let p = 0; p < 6; p++) {
            landmarks.push(t.originX + ((gx + 0.5) * stride + boxes.data[(base + 4 + 2 * p) * plane + i]!) / t.scaleX);
            landmarks.push(t.originY + ((gy + 0.5) * stride + boxes.data[(base + 5 + 2 * p) * plane + i]!) / t.scaleY);
          }
          found.push({
            kind: 'face',
            score: 1 / (1 + Math.exp(-Math.min(100, logitValue))),
            x: t.originX + (cx - w / 2) / t.scaleX,
            y: t.originY + (cy - h / 2) / t.scaleY,
            w: w / t.scaleX,
            h: h / t.scaleY,
            landmarks,
          });
        }
      }
    }
  }

  return {
    model: model.info,
    runtime: runtimeName(),
    settings: { minFaceHeight: minFace, threshold, scales: [fine, coarse] },
    async find(frame, regions, hint) {
      const all: Detection[] = [];
      if (hint?.only && regions) {
        // Around a track: the scale at which its face is about 48 px high (never above the fine pass's).
        const scale = Math.min(fine, 48 / Math.max(1, hint.only.faceHeight));
        for (const r of regions) all.push(...(await pass(frame, scale, r)));
      } else {
        if (!(hint?.skipCoarse && regions)) all.push(...(await pass(frame, coarse)));
        if (!regions) all.push(...(await pass(frame, fine)));
        else for (const r of regions) all.push(...(await pass(frame, fine, r)));
      }
      return nms(all.filter((d) => faceLike(d, minFace, frame)), 0.3).map((d) => ({ ...d, signature: colourSignature(frame, d) }));
    },
    async close() {
      for (const s of sessions.values()) await s.release();
      sessions.clear();
    },
  };
}
