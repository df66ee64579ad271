// Rating risks: likelihood × impact on scales of 1–4 (Kennisnet/SIVON model; CNIL gauges), and which risks apply.
import type { PrivacySettings } from '../../config/schema.js';
import type { DpiaAnswers, RiskAnswer, RiskId } from './answers.js';
import { RISKS } from './answers.js';

export type RiskLevel = 'low' | 'medium' | 'high';

export function riskLevel(r: { likelihood: number; impact: number }): RiskLevel {
  const score = r.likelihood * r.impact;
  return score >= 9 ? 'high' : score >= 4 ? 'medium' : 'low';
}

/** Starting ratings for a school that has not rated a risk yet: a judgement the school reviews and overrides. */
const DEFAULT_RATINGS: Record<RiskId, RiskAnswer> = {
  'unauthorised-access': { before: { likelihood: 3, impact: 3 }, after: { likelihood: 1, impact: 3 } },
  modification: { before: { likelihood: 2, impact: 2 }, after: { likelihood: 1, impact: 2 } },
  loss: { before: { likelihood: 2, impact: 2 }, after: { likelihood: 1, impact: 2 } },
  'function-creep': { before: { likelihood: 3, impact: 3 }, after: { likelihood: 1, impact: 3 } },
  'over-coverage': { before: { likelihood: 3, impact: 3 }, after: { likelihood: 1, impact: 2 } },
  'over-retention': { before: { likelihood: 3, impact: 2 }, after: { likelihood: 1, impact: 2 } },
  'insecure-processor': { before: { likelihood: 2, impact: 3 }, after: { likelihood: 1, impact: 3 } },
  'covert-misuse': { before: { likelihood: 2, impact: 4 }, after: { likelihood: 1, impact: 3 } },
  'chilling-effect': { before: { likelihood: 3, impact: 2 }, after: { likelihood: 2, impact: 2 } },
};

/** The measures (keys of strings.yaml `dpia.measures`) that answer each risk by default. */
export const DEFAULT_MEASURES: Record<RiskId, string[]> = {
  'unauthorised-access': ['access-roles', 'audit-log', 'four-eyes', 'encryption'],
  modification: ['audit-log', 'export-hash'],
  loss: ['backup-register', 'failure-detection'],
  'function-creep': ['purpose-binding', 'no-assessment', 'mr-consent'],
  'over-coverage': ['siting', 'no-audio', 'no-private-rooms'],
  'over-retention': ['auto-purge', 'holds'],
  'insecure-processor': ['processor-agreement', 'access-roles'],
  'covert-misuse': ['covert-conditions', 'board-decision', 'covert-end'],
  'chilling-effect': ['signage', 'information-letter', 'no-assessment'],
};

export interface ApplicableRisk {
  id: RiskId;
  /** Absent when the school has not rated the risk: the DPIA says "niet beoordeeld", never a default rating. */
  before?: RiskAnswer['before'];
  after?: RiskAnswer['after'];
  /** The school's own measures, else undefined (the document lists the default measures). */
  measures?: string[];
  defaultMeasures: string[];
}

/** The risks that apply to this school (a processor only with an external beheerder, covert only with a hidden camera). */
export function applicableRisks(answers: DpiaAnswers, context: { privacy: PrivacySettings; hasCovert: boolean }): ApplicableRisk[] {
  return RISKS.filter((id) => (id === 'insecure-processor' ? context.privacy.beheerder?.external === true : id === 'covert-misuse' ? context.hasCovert : true)).map((id) => {
    const given = answers.risks?.[id];
    return { id, ...(given ? { before: given.before, after: given.after } : {}), ...(given?.measures?.length ? { measures: given.measures } : {}), defaultMeasures: DEFAULT_MEASURES[id] };
  });
}

export function defaultRating(id: RiskId): RiskAnswer {
  return DEFAULT_RATINGS[id];
}
