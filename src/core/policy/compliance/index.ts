// Compliance: the rules of the seeds and the law as data-driven checks over the settings and the inventory.
export { checkCompliance } from './check.js';
export { RULES, FORBIDDEN_PLACES, COVERT_FORBIDDEN_PLACES, VIEWER_ROLES_NOT_ALLOWED, ASSESSMENT_WORDS, COVERT_MAX_DAYS } from './rules.js';
export { revisionDate, revisionOverdue, REVISION_YEARS } from './revision.js';
export * from './types.js';
