// Configuration: find the file, validate it against the schema, resolve defaults and paths. This entry is light (no
// zod, no yaml until a config must be validated); the schema and validation themselves are in `contract.ts`.
export { loadConfig, ConfigError, formatProblem, SEARCH_PLACES, SYSTEM_CONFIG, type LoadedConfig, type LoadOptions, type LocatedProblem } from './load.js';
export { formatKeyPath, isFileStorage, LAYOUTS, ID_PATTERN } from './constants.js';
export type { Config, ResolvedCamera, ResolvedStorage, FileStorage, RecorderStorage, ConfigProblem, ConfigWarning } from './validate.js';
export type { ConfigInput, PrivacyMask } from './schema.js';
export type { StarterAnswers } from './starter.js';
export { BOARD_GROUP, idsBySchool, requireSchools, requireCamerasInSchools, camerasOfSchools, schoolOfCamera, schoolsOfCameras, schoolName } from './schools.js';
