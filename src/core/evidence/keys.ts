// `toezicht keys init`: the school's signing key, made once and recorded in the audit chain.
import type { Config } from '../config/index.js';
import type { Register } from '../register/index.js';
import { createSigningKey, type KeysInitResult } from './signing.js';

export async function initSchoolKey(config: Config, register: Register, options: { force?: boolean }): Promise<KeysInitResult & { auditSeq: number }> {
  const result = await createSigningKey(config.keys.dir, options);
  const entry = await register.appendAudit('keys.init', {
    fingerprint: result.fingerprint,
    publicKey: result.publicKey,
    ...(result.replaced ? { replaced: result.replaced.fingerprint } : {}),
  });
  return { ...result, auditSeq: entry.seq };
}
