// The detector the planner uses: faces (BlazeFace), persons (CenterNet), or both, behind one interface.
import type { ModelInfo } from '../model/models.js';
import { openFaceFinder } from './faces.js';
import { openPersonFinder } from './persons.js';
import type { Detection, DetectionKind, Detector } from './types.js';

export type { Box, Detection, DetectionKind, Detector } from './types.js';
export { iou } from './types.js';
export type { Frame } from './image.js';

export interface DetectorOptions {
  what: DetectionKind[];
  /** Smallest face height in source pixels to find (default 16). */
  minFaceHeight?: number;
  /** Face score threshold (default 0.5). */
  faceThreshold?: number;
  /** Person score threshold (default 0.4). */
  personThreshold?: number;
  /** ONNX Runtime threads (default 2). */
  threads?: number;
}

export async function openDetector(options: DetectorOptions): Promise<Detector> {
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
  return {
    kinds: options.what,
    models,
    runtime: (faces ?? persons)?.runtime ?? 'none',
    settings: { ...(faces ? { face: faces.settings } : {}), ...(persons ? { person: persons.settings } : {}) },
    async detect(frame) {
      const out: Detection[] = [];
      if (faces) out.push(...(await faces.find(frame)));
      if (persons) out.push(...(await persons.find(frame)));
      return out;
    },
    async close() {
      await faces?.close();
      await persons?.close();
    },
  };
}
