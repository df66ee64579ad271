// Compliance: the rules of the seeds and the law as data-driven checks over the settings and the inventory.
export { checkCompliance } from './check.js';
export { RULES, VIEWER_ROLES_NOT_ALLOWED, COVERT_MAX_DAYS, SURVEILLANCE_WEEKS_DAYS } from './rules.js';
export { forbiddenRoom, isClassroom, viewsPublicRoad, assessesPersons, monitorsStaff, type PlaceVerdict } from './places.js';
export { revisionDate, revisionOverdue, REVISION_YEARS } from './revision.js';
export * from './types.js';
