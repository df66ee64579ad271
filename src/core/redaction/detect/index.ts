// The detector the planner uses: faces (BlazeFace), persons (CenterNet), or both, behind one interface; run in
// worker threads side by side where it can, else in the calling thread.
import { availableParallelism } from 'node:os';
import { openLocalDetector, type DetectorOptions } from './local.js';
import { openDetectorPool, workerScript, type TimedDetector } from './pool.js';
import type { Detector } from './types.js';

export type { Box, DetectHint, Detection, DetectionKind, Detector, Rect } from './types.js';
export { iou } from './types.js';
export type { Frame } from './image.js';
export type { DetectorOptions } from './local.js';
export type { TimedDetector } from './pool.js';

/** One detector per core, at most four (beyond that the decoder and the encoder are the limit). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export async function openDetector(options: DetectorOptions): Promise<Detector | TimedDetector> {
  const workers = options.workers ?? defaultWorkers();
  const script = workers > 0 ? workerScript() : undefined;
  if (!script) return openLocalDetector(options);
  return openDetectorPool(options, workers, script);
}
