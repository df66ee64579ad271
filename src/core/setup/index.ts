// First run and health of the set-up: writing a starter config, creating the register, checking paths.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { starterConfig, validateConfig, type Config, type StarterAnswers } from '../config/index.js';
import { UsageError } from '../errors.js';
import { createRegisterAt, isRegisterUrl, openRegister } from '../register/index.js';
import { checkStorageRoot, makeExportsRoot } from './paths.js';

export { folderState, type FolderState } from './paths.js';
import { parse } from 'yaml';

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

export interface StarterOptions {
  /** Make the school's signing key for evidence packages (as `toezicht keys init`). */
  signingKey: boolean;
  /** Make the footage folder when it does not exist (otherwise init refuses). */
  createStorageRoot?: boolean;
}

/** Writes `answers` as a new config at `file` (never over an existing one), creates its register, exports folder and key. */
export async function writeStarterConfig(file: string, answers: StarterAnswers, options: StarterOptions = { signingKey: false }): Promise<InitResult> {
  if (existsSync(file)) {
    throw new UsageError('init.exists', `${file} already exists; run \`toezicht init --config ${file}\` to create only what is missing.`, { params: { file } });
  }
  checkAnswers(answers);
  const dir = path.dirname(file);
  checkStorageRoot(answers.storageRoot, dir, options.createStorageRoot ?? false);
  const text = starterConfig(answers);
  // The text must be a config this version accepts, or init would leave the school with a broken file.
  const check = validateConfig(parse(text), dir);
  if (!check.config) {
    const problems = check.problems.map((p) => p.message).join('; ');
    throw new UsageError('init.invalid', `The answers do not make a valid config: ${problems}.`, { params: { problems } });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, text, { flag: 'wx', mode: 0o640 });
  const config = { ...check.config, file };
  const created = await createRegister(config);
  if (config.exports.root) makeExportsRoot(config.exports.root);
  const result: InitResult = { configFile: file, configWritten: true, registerFile: config.register, registerCreated: created, ...(config.exports.root ? { exportsRoot: config.exports.root } : {}) };
  if (options.signingKey) {
    // Loaded here only: the evidence area is large, and only this step of init needs it.
    const { initSchoolKey } = await import('../evidence/index.js');
    const { register } = openRegister(config.register);
    try {
      const key = await initSchoolKey(config, register, {});
      result.signingKey = { privateKey: key.privateKey, fingerprint: key.fingerprint };
    } finally {
      await register.close();
    }
  }
  return result;
}

/** What the schema cannot know: answers a first week needs (issue 19.3). */
function checkAnswers(a: StarterAnswers): void {
  if (a.layout === 'synology' && !a.segmentSeconds) {
    throw new UsageError(
      'init.segment-seconds',
      'Synology Surveillance Station often writes files of 30 minutes or more: give the longest file length in seconds with --segment-seconds (e.g. 1800), so the purge never cuts a file short.',
    );
  }
  if (a.layout === 'pattern' && !a.pattern) throw new UsageError('init.pattern', 'With --layout pattern give the pattern with --pattern, e.g. "{camera}/{YYYY}{MM}{DD}/{HH}{mm}{ss}.mp4".');
  const noPurpose = a.cameras.filter((c) => !c.purpose?.trim()).map((c) => c.id);
  if (noPurpose.length) {
    throw new UsageError(
      'init.purpose',
      `Every camera needs its purpose (why it is needed, AVG art. 5(1)(b)): give --purpose "TEXT" for all cameras, or --purpose "ID=TEXT" per camera (missing: ${noPurpose.join(', ')}).`,
      { params: { cameras: noPurpose.join(', ') } },
    );
  }
  if (!a.exportUsers.length) throw new UsageError('init.export-user', 'Name at least one OS user who may export footage with --export-user (the beheerder or the school management, OVO-protocol §1.2).');
}

/** Creates the register of an existing config when it has none. Returns whether it made one. */
export async function createRegister(config: Config): Promise<boolean> {
  return createRegisterAt(config.register, { school: config.school.name, ...(config.file ? { config: config.file } : {}) });
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
