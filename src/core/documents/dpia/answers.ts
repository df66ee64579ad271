// The DPIA answers: what the config cannot know (necessity, alternatives, risks and measures, views, sign-off).
// Saved as YAML so the next run (and next year's DPIA) starts from them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import { parse, stringify } from 'yaml';
import { UsageError } from '../../errors.js';

/** The risks of camera surveillance at a school (LEGAL.md §3; CNIL PIA: access, modification, loss). */
export const RISKS = [
  'unauthorised-access',
  'modification',
  'loss',
  'function-creep',
  'over-coverage',
  'over-retention',
  'insecure-processor',
  'covert-misuse',
  'chilling-effect',
] as const;
export type RiskId = (typeof RISKS)[number];

const level = z.number().int().min(1).max(4);
const rating = z.strictObject({ likelihood: level, impact: level });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date such as 2026-10-20' });

export const riskAnswerSchema = z.strictObject({
  before: rating,
  after: rating,
  measures: z.array(z.string().min(1)).optional(),
});

export const answersSchema = z.strictObject({
  description: z.string().optional().meta({ description: 'The proposal: why cameras, why now (B1)' }),
  necessity: z.string().optional().meta({ description: 'Why the cameras are necessary (B7)' }),
  alternatives: z.array(z.string().min(1)).optional().meta({ description: 'Milder means tried or considered, and why they do not suffice (B7)' }),
  proportionality: z.string().optional().meta({ description: 'Why the intrusion is in proportion to the purpose (B7)' }),
  interests: z.string().optional().meta({ description: 'The interests of the school weighed against those of pupils and staff (B3)' }),
  dataSubjectsViews: z.string().optional().meta({ description: 'How pupils, parents and staff were heard, and what they said (AVG art. 35(9))' }),
  fgAdvice: z.strictObject({ date: date.optional(), summary: z.string().min(1) }).optional(),
  mrView: z.strictObject({ date: date.optional(), summary: z.string().min(1) }).optional(),
  risks: z.partialRecord(z.enum(RISKS), riskAnswerSchema).optional(),
  actions: z.array(z.strictObject({ action: z.string().min(1), owner: z.string().optional(), due: date.optional() })).optional(),
  decision: z.strictObject({ by: z.string().min(1), date: date.optional(), note: z.string().optional() }).optional(),
});

export type DpiaAnswers = z.output<typeof answersSchema>;
export type RiskAnswer = z.output<typeof riskAnswerSchema>;

export function readAnswers(file: string): DpiaAnswers {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new UsageError('dpia.answers-unreadable', `The DPIA answers ${file} cannot be read (${(error as Error).message.split('\n')[0]}); fix the YAML or answer again with --interactive.`);
  }
  const parsed = answersSchema.safeParse(data);
  if (!parsed.success) {
    throw new UsageError('dpia.answers-invalid', `The DPIA answers ${file} have ${parsed.error.issues.length} problem(s); fix them or answer again with --interactive.`, {
      details: parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`),
    });
  }
  return parsed.data;
}

export function writeAnswers(file: string, answers: DpiaAnswers): void {
  const header = '# DPIA answers (toezicht dpia generate). Edit them and run `toezicht dpia generate --answers` again.\n# Risk ratings: likelihood and impact from 1 (low) to 4 (high), before and after the measures.\n';
  writeFileSync(file, header + stringify(answers, { lineWidth: 0 }), { mode: 0o640 });
}

export const answersExist = (file: string): boolean => existsSync(file);
