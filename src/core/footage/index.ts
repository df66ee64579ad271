// Footage on the school's storage: retention purge, holds and status.
export { purgeFootage, type PurgeOptions, type PurgeProgress, type PurgeReport, type CameraCounts, type UnknownReason } from './purge.js';
export { footageStatus, type StatusReport, type CameraStatus, type Finding } from './status.js';
export { addHold, releaseHold, listHolds, holdCoverage, parseRange, requireCameras, type HoldRequest, type HoldResult, type HoldCoverage, type HoldListing, type ListedHold } from './holds.js';
export { type LegalHoldReport } from './legal-holds.js';
export { storageViews, type StorageView } from './rules.js';
export { decide, cameraCutoff, holdsByCamera, type Decision, type HeldRange } from './rules.js';
export { checkStorages, type StorageCheck } from './storage-check.js';
export { eraseFootage, previewErasure, type EraseRequest, type EraseResult, type ErasedFile, type ErasurePreview } from './erase.js';
export { guardRegister, anchorChain, anchorAllStorages, recordHoldAtStorages, verifyRegister, REGISTER_WAY_OUT, type RegisterGuard, type RegisterVerification, type StorageHold } from './register-guard.js';
export { recoverRegister, restoreRegister, type RecoverResult, type RestoreResult } from './recover.js';
