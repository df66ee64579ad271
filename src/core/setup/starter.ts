// init's writing half: the starter config checked and written, then the register, the exports folder and the key.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { starterConfig, validateConfig } from '../config/contract.js';
import type { StarterAnswers } from '../config/index.js';
import { UsageError } from '../errors.js';
import { openRegister } from '../register/index.js';
import { createRegister, type InitResult } from './index.js';
import { checkStorageRoot, makeExportsRoot } from './paths.js';

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

