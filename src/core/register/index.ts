// The register: holds, purge runs with their deletion records, and the audit chain — embedded (SQLite) by default,
// or on a PostgreSQL server for a board (`register: postgres://…`).
import { existsSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { isRegisterUrl, PostgresRegister } from './postgres/register.js';
import { SqliteRegister } from './sqlite/register.js';
import type { Actor, Register } from './types.js';

export type * from './types.js';
export { RIGHTS_TYPES, RIGHTS_RELATIONS, RIGHTS_OUTCOMES } from './types.js';
export { canonicalJson, sha256Hex, verifyEntries, GENESIS_HASH } from './chain.js';
export { DISCLOSURE_ACTIONS, disclosureRows, type DisclosureRow } from './disclosures.js';
export { isRegisterUrl, displayUrl, urlHasPassword, PASSWORD_ENV } from './postgres/register.js';
export { migrateRegister, type MigrateResult } from './migrate.js';

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

/**
 * Opens the register at a file path or a postgres:// URL. An embedded register is opened (and checked) here; a
 * server's is connected on first use, so its refusals come from the first call.
 */
export function openRegister(location: string, options: OpenRegisterOptions = {}): OpenedRegister {
  const actor = options.actor ?? currentActor();
  const register = isRegisterUrl(location)
    ? PostgresRegister.open(location, { create: options.create ?? false, actor })
    : SqliteRegister.open(location, { create: options.create ?? false, actor });
  return { register, warnings: register.warnings };
}

/** Creates the register at `location` when there is none, with its first audit entry. Returns whether it made one. */
export async function createRegisterAt(location: string, details: Record<string, unknown>, actor: Actor = currentActor()): Promise<boolean> {
  if (!isRegisterUrl(location) && existsSync(location)) return false;
  const { register } = openRegister(location, { create: true, actor });
  try {
    const created = register instanceof PostgresRegister ? await register.prepare() : true;
    if (created) await register.appendAudit('register.create', details);
    return created;
  } finally {
    await register.close();
  }
}
export { backupRegister, prepareRestore, moveRegisterAside, adoptRegisterId, type BackupResult, type BackupInfo } from './backup.js';
