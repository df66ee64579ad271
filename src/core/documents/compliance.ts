// The compliance check over the config, the inventory and (when there is one) the register's document versions.
import type { Config } from '../config/index.js';
import { checkCompliance, DOCUMENT_KINDS, type ComplianceContext, type ComplianceReport, type Lang } from '../policy/compliance/index.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openRegister, type Register } from '../register/index.js';
import { readAnswers, type DpiaAnswers } from './dpia/answers.js';

const defaultAnswersPath = (config: Config): string => path.resolve(config.documents.dpia?.answers ?? path.join(config.dir, 'dpia-answers.yaml'));
// An unreadable answers file is `dpia generate`'s error to report; the check then goes without it.
function tryReadAnswers(file: string): DpiaAnswers | undefined {
  try {
    return readAnswers(file);
  } catch {
    return undefined;
  }
}

/** The DPIA questions an answers file leaves open (the risks are rated in the questionnaire, not listed here). */
export function unansweredQuestions(answers: DpiaAnswers): string[] {
  const keys = ['description', 'necessity', 'alternatives', 'proportionality', 'interests', 'dataSubjectsViews', 'fgAdvice', 'mrView', 'decision'] as const;
  return keys.filter((k) => {
    const v = answers[k];
    return v === undefined || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && !v.length);
  });
}

export async function complianceReport(config: Config, register: Register | undefined, options: { now?: number; lang?: Lang; answers?: DpiaAnswers } = {}): Promise<ComplianceReport> {
  const now = options.now ?? Date.now();
  const context: ComplianceContext = { now };
  const answers = options.answers ?? (existsSync(defaultAnswersPath(config)) ? tryReadAnswers(defaultAnswersPath(config)) : undefined);
  if (answers) {
    context.dpiaUnanswered = unansweredQuestions(answers);
    context.dpiaText = JSON.stringify(answers);
    context.dpiaSignOff = { ...(answers.fgAdvice?.date ? { fgAdvice: answers.fgAdvice.date } : {}), ...(answers.decision?.date ? { decision: answers.decision.date } : {}) };
  }
  if (register) {
    const versions: NonNullable<ComplianceContext['versions']> = {};
    for (const kind of DOCUMENT_KINDS) {
      const all = await register.documentVersions(kind);
      const last = all[all.length - 1];
      if (last) versions[kind] = { version: last.version, createdAt: last.createdAt };
    }
    context.versions = versions;
  }
  return checkCompliance(config, context, { lang: options.lang ?? 'en' });
}

/** `compliance check`: reads the register's document versions when there is a register, and works without one. */
export async function runComplianceCheck(config: Config, options: { now?: number; lang?: Lang } = {}): Promise<ComplianceReport & { register: boolean }> {
  if (!existsSync(config.register)) return { ...(await complianceReport(config, undefined, options)), register: false };
  const { register } = openRegister(config.register);
  try {
    return { ...(await complianceReport(config, register, options)), register: true };
  } finally {
    register.close();
  }
}
