// `dpia generate`: answers from the file, or asked (and saved) on a terminal; then the DPIA in every format.
import path from 'node:path';
import type { Config } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import type { Register } from '../../register/index.js';
import { renderDocuments, type RenderOptions, type RenderResult } from '../generate.js';
import { loadTemplates } from '../templates.js';
import { answersExist, answersSchema, readAnswers, writeAnswers, type DpiaAnswers } from './answers.js';
import { askDpiaAnswers, type Asker } from './questionnaire.js';
import { applicableRisks } from './risks.js';

export interface DpiaOptions extends Omit<RenderOptions, 'documents' | 'answers'> {
  /** The answers file; default documents.dpia.answers, else dpia-answers.yaml next to the config. */
  answersFile?: string;
  /** Ask again even when the answers file exists (starting from its answers). */
  interactive?: boolean;
  /** Present only on a terminal. */
  asker?: Asker;
}

export interface DpiaResult extends RenderResult {
  answersFile: string;
  /** True when the questionnaire ran and wrote the answers file. */
  asked: boolean;
}

export function defaultAnswersFile(config: Config): string {
  return config.documents.dpia?.answers ?? path.join(config.dir, 'dpia-answers.yaml');
}

export async function generateDpia(config: Config, register: Register, options: DpiaOptions): Promise<DpiaResult> {
  const answersFile = path.resolve(options.answersFile ?? defaultAnswersFile(config));
  const exists = answersExist(answersFile);
  let answers: DpiaAnswers;
  let asked = false;
  if (exists && !options.interactive) {
    answers = readAnswers(answersFile);
  } else {
    if (!options.asker) {
      throw new UsageError(
        'dpia.answers-missing',
        exists
          ? '--interactive needs a terminal; without one, edit the answers file and run `toezicht dpia generate --answers FILE`.'
          : `There are no DPIA answers at ${answersFile}, and without a terminal nothing is asked: give --answers FILE (see docs/documents.md for its keys), or run \`toezicht dpia generate --interactive\` on a terminal.`,
      );
    }
    // Start from this file, else from the last DPIA the register keeps (next year's DPIA starts from this year's).
    let previous: DpiaAnswers = exists ? readAnswers(answersFile) : {};
    if (!exists) {
      const versions = await register.documentVersions('dpia');
      const last = versions[versions.length - 1]?.inputs.answers;
      const parsed = answersSchema.safeParse(last ?? {});
      if (parsed.success) previous = parsed.data;
    }
    const strings = loadTemplates(options.langs[0] ?? 'nl', options.templatesDir).strings;
    const risks = applicableRisks(previous, { privacy: config.privacy, hasCovert: config.cameras.some((c) => c.category === 'covert') }).map((r) => r.id);
    answers = await askDpiaAnswers(options.asker, strings, previous, risks);
    writeAnswers(answersFile, answers);
    asked = true;
  }
  const result = await renderDocuments(config, register, { ...options, documents: ['dpia'], answers });
  return { ...result, answersFile, asked };
}
