// Evidence exports: clips cut without re-encoding, packaged with hashes, a signed manifest and a custody record,
// checkable offline by anyone; and the school's signing key.
export { exportFootage, footageExpiry, type ExportRequest, type ExportOptions, type ExportResult, type ExportProgress, type ExportPhase } from './export.js';
export { verifyPackage, type VerifyReport, type VerifyCheck, type VerifyOptions } from './verify.js';
export { verifyWithSources, verifySources, manifestSources, type VerifyWithSourcesReport, type SourcesReport, type SourceCheck, type SourceStatus } from './verify-sources.js';
export { createSigningKey, loadSigningKey, keyFingerprint, type KeysInitResult } from './signing.js';
export { initSchoolKey } from './keys.js';
export { exportAccess } from './access.js';
export { restrictionsOn } from './restriction.js';
export { planClip, findGaps, GAP_TOLERANCE_MS, type ClipPlan, type ClipPart, type Gap, type InspectedSegment } from './cut.js';
export { CUSTODY_FILE, type Language } from './custody.js';
export { MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE, SUMS_FILE, MANIFEST_FORMAT, clipFileName, besideClip, type Manifest, type ManifestClip, type ManifestRedacted } from './manifest.js';
export type { OnCorrupt } from './sources.js';
export { reviewRedaction, renderCommand, REVIEW_FORMAT, type ReviewResult, type ReviewDocument, type ReviewClip, type ReviewTrack } from './review.js';
export { type RedactRequest } from './redact.js';
