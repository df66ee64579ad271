// Configuration: find the file, validate it against the schema, resolve defaults and paths.
export { loadConfig, ConfigError, formatProblem, SEARCH_PLACES, SYSTEM_CONFIG, type LoadedConfig, type LoadOptions, type LocatedProblem } from './load.js';
export { validateConfig, formatKeyPath, type Config, type ResolvedCamera, type ResolvedStorage, type FileStorage, type RecorderStorage, isFileStorage, type ConfigProblem, type ConfigWarning } from './validate.js';
export { configSchema, configJsonSchema, LAYOUTS, ID_PATTERN, type ConfigInput, type PrivacyMask } from './schema.js';
export { starterConfig, type StarterAnswers } from './starter.js';
export { BOARD_GROUP, idsBySchool, requireSchools, requireCamerasInSchools, camerasOfSchools, schoolOfCamera, schoolsOfCameras, schoolName } from './schools.js';
