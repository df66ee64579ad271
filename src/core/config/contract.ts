// The config area's second entry: the contract itself — the zod schema, pure validation, the starter text. Loading
// it costs zod and yaml (a third of a command's start-up), so only code that validates or writes a config imports
// it; reading a config (`index.ts`) loads it only when the file changed since it was last validated.
export { validateConfig, type ValidationResult } from './validate.js';
export { configSchema, configJsonSchema } from './schema.js';
export { starterConfig } from './starter.js';
