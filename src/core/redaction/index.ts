// Redaction: bystanders made unrecognisable in evidence clips. Plan (detect, track, masks) → review (contact
// sheet, edit the JSON) → render; or plan and render in one pass (redact). See docs/redaction.md.
import { UsageError } from '../errors.js';
export { planRedaction, type PlanOptions, type PlanRequest } from './planner.js';
export { renderRedaction, type EncoderSettings, type RenderRequest, type RenderResult } from './render.js';
export { redact, type RedactRequest, type RedactResult } from './redact.js';
export { writeContactSheet, type ContactSheetRequest, type ContactSheetResult } from './sheet/contact-sheet.js';
export {
  PLAN_SCHEMA,
  boxAt,
  parsePlan,
  planSha256,
  readPlan,
  writePlan,
  type PlanKeyframe,
  type PlanMask,
  type PlanTrack,
  type RedactionPlan,
} from './plan.js';
export { blockSize, type RedactionStyle } from './paint.js';
export { openDetector, type Box, type Detection, type DetectionKind, type Detector, type DetectorOptions, type Frame, type TimedDetector } from './detect/index.js';
export type { RedactionProgress, ProgressCallback } from './progress.js';
export { DEFAULT_TRACKING, type TrackingOptions } from './track.js';

/** `--redact-what faces|persons|faces,persons` → detection kinds. */
export function parseRedactWhat(value: string): ('face' | 'person')[] {
  const out = new Set<'face' | 'person'>();
  for (const part of value.split(',').map((p) => p.trim().toLowerCase())) {
    if (part === 'faces' || part === 'face') out.add('face');
    else if (part === 'persons' || part === 'person') out.add('person');
    else throw new UsageError('redaction.what', `Unknown redaction target "${part}"; use faces, persons or faces,persons.`);
  }
  return [...out];
}
