// First run and health of the set-up: writing a starter config, creating the register, checking paths.
import { existsSync, statSync } from 'node:fs';
import { isFileStorage, type Config, type StarterAnswers } from '../config/index.js';
import { RefusalError } from '../errors.js';
import { createRegisterAt, isRegisterUrl, openRegister } from '../register/index.js';
import type { StarterOptions } from './starter.js';

export { folderState, type FolderState } from './paths.js';

export interface InitResult {
  configFile: string;
  configWritten: boolean;
  registerFile: string;
  registerCreated: boolean;
  /** The folder evidence packages go to (made 0700), when init wrote the config. */
  exportsRoot?: string;
  /** The signing key init made (its fingerprint is what the school publishes); absent when not asked for. */
  signingKey?: { privateKey: string; fingerprint: string };
}

export type { StarterOptions } from './starter.js';

/** Writes `answers` as a new config at `file` (never over an existing one), creates its register, exports folder and key. */
export async function writeStarterConfig(file: string, answers: StarterAnswers, options?: StarterOptions): Promise<InitResult> {
  // Loaded here only: it needs the schema (zod) and yaml, which `config validate` (inspectSetup) does not.
  return (await import('./starter.js')).writeStarterConfig(file, answers, options);
}

/** Creates the register of an existing config when it has none. Returns whether it made one. */
export async function createRegister(config: Config): Promise<boolean> {
  if (!(await registerExists(config.register))) await refuseMarkedStorages(config);
  return createRegisterAt(config.register, { school: config.school.name, ...(config.file ? { config: config.file } : {}) });
}

async function registerExists(location: string): Promise<boolean> {
  if (!isRegisterUrl(location)) return existsSync(location);
  const { register } = openRegister(location);
  try {
    await register.auditHead();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'register.missing') return false;
    throw error;
  } finally {
    await register.close();
  }
}

/**
 * A new register must not take over storages another register purges: it would not know that register's holds.
 * Storages that cannot be reached now are not asked (the purge compares markers before it deletes).
 */
async function refuseMarkedStorages(config: Config): Promise<void> {
  // Loaded here only: `config validate` (inspectSetup) needs none of the storage code.
  const { openStorage, readMarker } = await import('../storage/index.js');
  for (const spec of config.storage.filter(isFileStorage)) {
    const { store } = openStorage(spec, config.school.timezone);
    if (!store.records || !(await store.check().catch(() => ({ ok: false }))).ok) continue;
    const marker = await readMarker(store).catch(() => undefined);
    if (marker) {
      throw new RefusalError(
        'init.marked-storage',
        `Storage ${spec.id} is purged by register ${marker.registerId} (marked ${marker.markedAt}), and a new register would not know its holds; nothing was created: restore that register with \`toezicht register restore FILE\`, or rebuild it from the storages with \`toezicht register recover\`.`,
      );
    }
  }
}

export interface SetupNote {
  severity: 'error' | 'warning';
  message: string;
}

/** What is missing around a valid config: the register, storage roots. */
export function inspectSetup(config: Config): SetupNote[] {
  const notes: SetupNote[] = [];
  if (isRegisterUrl(config.register)) {
    // A server's register is checked by connecting to it (any command that uses it), not by looking at files.
  } else if (!existsSync(config.register)) notes.push({ severity: 'warning', message: `there is no register at ${config.register} yet; run \`toezicht init\`` });
  else if (statSync(config.register).mode & 0o077) notes.push({ severity: 'warning', message: `the register ${config.register} can be read by other users; run \`chmod 600 ${config.register}\`` });
  for (const s of config.storage) {
    // A bucket is checked by asking the store (`toezicht storage check`), not by looking at files.
    if (s.type === 'fs' && !existsSync(s.root)) notes.push({ severity: 'warning', message: `storage ${s.id}: its root ${s.root} does not exist (is the share mounted?)` });
  }
  return notes;
}
