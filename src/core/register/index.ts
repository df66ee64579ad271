// The register: holds, purge runs with their deletion records, and the audit chain.
import { hostname, userInfo } from 'node:os';
import { SqliteRegister } from './sqlite/register.js';
import type { Actor, Register } from './types.js';

export type * from './types.js';
export { RIGHTS_TYPES, RIGHTS_RELATIONS, RIGHTS_OUTCOMES } from './types.js';
export { canonicalJson, sha256Hex, verifyEntries, GENESIS_HASH } from './chain.js';
export { DISCLOSURE_ACTIONS, disclosureRows, type DisclosureRow } from './disclosures.js';

/** The OS user running this process, and the one behind sudo when there is one. */
export function currentActor(): Actor {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (containers): keep $USER.
  }
  const sudoUser = process.env.SUDO_USER;
  return { user, host: hostname(), ...(sudoUser && sudoUser !== user ? { sudoUser } : {}) };
}

export interface OpenRegisterOptions {
  /** Only `toezicht init` creates a register; everything else refuses when there is none. */
  create?: boolean;
  actor?: Actor;
}

export interface OpenedRegister {
  register: Register;
  warnings: string[];
}

export function openRegister(location: string, options: OpenRegisterOptions = {}): OpenedRegister {
  const register = SqliteRegister.open(location, { create: options.create ?? false, actor: options.actor ?? currentActor() });
  return { register, warnings: register.warnings };
}
