// Faces (BlazeFace), persons (CenterNet), or both, behind one interface, run in the calling thread.
import type { ModelInfo } from '../model/models.js';
import { openFaceFinder } from './faces.js';
import { openPersonFinder } from './persons.js';
import type { Frame } from './image.js';
import type { DetectHint, Detection, DetectionKind, Detector } from './types.js';

export interface DetectorOptions {
  what: DetectionKind[];
  /** Smallest face height in source pixels to find (default 16). */
  minFaceHeight?: number;
  /** Face score threshold (default 0.5). */
  faceThreshold?: number;
  /** Person score threshold (default 0.4). */
  personThreshold?: number;
  /** ONNX Runtime threads per detector (default 1). */
  threads?: number;
  /**
   * Detectors run side by side in worker threads, each on its own frames (default: one per core, at most 4;
   * 0 runs the detector in the calling thread).
   */
  workers?: number;
}

export async function openLocalDetector(options: DetectorOptions): Promise<Detector> {
  const faces = options.what.includes('face')
    ? await openFaceFinder({
        ...(options.minFaceHeight !== undefined ? { minFaceHeight: options.minFaceHeight } : {}),
        ...(options.faceThreshold !== undefined ? { threshold: options.faceThreshold } : {}),
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
      })
    : undefined;
  const persons = options.what.includes('person')
    ? await openPersonFinder({
        ...(options.personThreshold !== undefined ? { threshold: options.personThreshold } : {}),
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
      })
    : undefined;
  const models: ModelInfo[] = [faces?.model, persons?.model].filter((m): m is ModelInfo => Boolean(m));
  // One frame at a time: the finders reuse their input tensors, and a second frame must not overwrite the first's
  // before the model has read it.
  let queue: Promise<unknown> = Promise.resolve();
  const detect = async (frame: Frame, hint: DetectHint | undefined): Promise<Detection[]> => {
    const out: Detection[] = [];
    if (faces) out.push(...(await faces.find(frame, hint?.regions, hint)));
    // Dense detection around a face track looks for faces only.
    if (persons && !hint?.only) out.push(...(await persons.find(frame)));
    return out;
  };
  return {
    kinds: options.what,
    models,
    runtime: (faces ?? persons)?.runtime ?? 'none',
    settings: { ...(faces ? { face: faces.settings } : {}), ...(persons ? { person: persons.settings } : {}) },
    detect(frame, _index, hint) {
      const result = queue.then(() => detect(frame, hint));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      await faces?.close();
      await persons?.close();
    },
  };
}
