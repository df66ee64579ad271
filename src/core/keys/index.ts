// The school's Ed25519 signing key: evidence manifests and the hold records kept beside the footage are signed with
// it. Depends on nothing but errors, so every area above may use it.
export { createSigningKey, loadSigningKey, loadPublicKeys, keyFingerprint, signBytes, verifyBytes, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, type SigningKey, type KeysInitResult } from './signing.js';
