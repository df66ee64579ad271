// Evidence packages as copies of personal data: their lifetime, their removal by the purge, unfinished runs.
export { exportLifetime, holdsKeeping, isExpired, type ExportLifetime } from './lifetime.js';
export { purgeExpiredExports, type ExportPurgeReport } from './purge.js';
export { settleExports, type SettledExport } from './settle.js';
export { listExports, type ExportListing, type ListedExport } from './list.js';
export { REVIEW_FILE } from './review-file.js';
