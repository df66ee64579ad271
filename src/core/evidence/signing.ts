// The school's signing key lives in keys/ (below storage and footage, which sign hold records with it); evidence
// signs manifests with it through this name.
export * from '../keys/index.js';
