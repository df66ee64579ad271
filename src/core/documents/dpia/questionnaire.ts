// The DPIA questionnaire: what the config cannot know, asked once and saved. Each question starts from the
// previous answer (last year's DPIA), so a review changes what changed and keeps the rest.
import { parseDate } from '../../time/index.js';
import { str, type Strings } from '../templates.js';
import { riskLevel } from './risks.js';
import { defaultRating } from './risks.js';
import type { DpiaAnswers, RiskAnswer, RiskId } from './answers.js';

/** How questions reach a person; the CLI answers with @inquirer/prompts, tests with a script. */
export interface Asker {
  text(message: string, options?: { default?: string; required?: boolean; date?: boolean }): Promise<string>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
  /** A rating from 1 to 4. */
  scale(message: string, defaultValue: number): Promise<number>;
}

const split = (text: string): string[] =>
  text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);

/** A date answer: empty (not answered) or a real calendar date; 2026-13-01 and 2026-02-30 are asked again. */
export function validDateAnswer(text: string): boolean {
  const t = text.trim();
  return t === '' || (/^\d{4}-\d{2}-\d{2}$/.test(t) && parseDate(t) !== undefined);
}

async function askDate(asker: Asker, message: string, options: { default?: string } = {}): Promise<string> {
  for (;;) {
    const answer = (await asker.text(message, { ...options, date: true })).trim();
    if (validDateAnswer(answer)) return answer;
  }
}

export async function askDpiaAnswers(asker: Asker, strings: Strings, previous: DpiaAnswers, risks: RiskId[]): Promise<DpiaAnswers> {
  const q = (key: string, values: Record<string, string> = {}): string => str(strings, `dpia.questions.${key}`).replace(/\{(\w+)\}/g, (all, k: string) => values[k] ?? all);
  const text = async (key: string, value: string | undefined): Promise<string | undefined> => (await asker.text(q(key), value ? { default: value } : {})).trim() || undefined;
  const answers: DpiaAnswers = {};
  const set = <K extends keyof DpiaAnswers>(key: K, value: DpiaAnswers[K] | undefined): void => {
    if (value !== undefined) answers[key] = value;
  };
  set('description', await text('description', previous.description));
  set('necessity', await text('necessity', previous.necessity));
  const alternatives = split((await asker.text(q('alternatives'), previous.alternatives?.length ? { default: previous.alternatives.join('; ') } : {})) ?? '');
  if (alternatives.length) answers.alternatives = alternatives;
  set('proportionality', await text('proportionality', previous.proportionality));
  set('interests', await text('interests', previous.interests));
  set('dataSubjectsViews', await text('dataSubjectsViews', previous.dataSubjectsViews));

  const summary = async (dateKey: string, summaryKey: string, prev?: { date?: string; summary: string }): Promise<{ date?: string; summary: string } | undefined> => {
    const s = await text(summaryKey, prev?.summary);
    if (!s) return undefined;
    const d = await askDate(asker, q(dateKey), prev?.date ? { default: prev.date } : {});
    return { ...(d ? { date: d } : {}), summary: s };
  };
  set('fgAdvice', await summary('fgAdviceDate', 'fgAdvice', previous.fgAdvice));
  set('mrView', await summary('mrViewDate', 'mrView', previous.mrView));

  const rated: Partial<Record<RiskId, RiskAnswer>> = {};
  for (const id of risks) {
    const name = str(strings, `dpia.risks.${id}.title`);
    const show = (r: { likelihood: number; impact: number }): string => `${r.likelihood}×${r.impact} (${str(strings, `dpia.levels.${riskLevel(r)}`)})`;
    const earlier = previous.risks?.[id];
    if (earlier && (await asker.confirm(q('keepRating', { risk: name, before: show(earlier.before), after: show(earlier.after) }), true))) {
      rated[id] = earlier;
      continue;
    }
    // Enter leaves a risk the school has never rated "not assessed"; the scale starts from a suggestion only once asked.
    if (!earlier && !(await asker.confirm(q('rateNow', { risk: name }), false))) continue;
    const current = earlier ?? defaultRating(id);
    rated[id] = {
      before: { likelihood: await asker.scale(q('likelihoodBefore', { risk: name }), current.before.likelihood), impact: await asker.scale(q('impactBefore', { risk: name }), current.before.impact) },
      after: { likelihood: await asker.scale(q('likelihoodAfter', { risk: name }), current.after.likelihood), impact: await asker.scale(q('impactAfter', { risk: name }), current.after.impact) },
      ...(current.measures ? { measures: current.measures } : {}),
    };
  }
  answers.risks = rated;

  const actions = [...(previous.actions ?? [])];
  while (await asker.confirm(q('addAction'), false)) {
    const action = (await asker.text(q('action'), { required: true })).trim();
    const owner = (await asker.text(q('owner'))).trim();
    const due = await askDate(asker, q('due'));
    if (action) actions.push({ action, ...(owner ? { owner } : {}), ...(due ? { due } : {}) });
  }
  if (actions.length) answers.actions = actions;

  const by = await text('decisionBy', previous.decision?.by);
  if (by) {
    const date = await askDate(asker, q('decisionDate'), previous.decision?.date ? { default: previous.decision.date } : {});
    answers.decision = { by, ...(date ? { date } : {}), ...(previous.decision?.note ? { note: previous.decision.note } : {}) };
  }
  return answers;
}
