// What the rights commands share: the letter flags, and asking for a request's missing answers on a terminal
// (@inquirer/prompts, loaded only when a person is there to answer).
import { Flags } from '@oclif/core';
import type { Config } from '../core/config/index.js';
import { FORMATS, LANGS, type Format, type Lang } from '../core/documents/index.js';
import { RIGHTS_RELATIONS, RIGHTS_TYPES } from '../core/register/index.js';
import { checkRequestAnswer, LETTER_FORMATS, missingRequestFields, type LetterOptions, type RequestField, type RightsRequestInput } from '../core/rights/index.js';

export const letterFlags = {
  lang: Flags.string({ summary: 'Language of the letter (repeatable; default nl).', options: [...LANGS], multiple: true }),
  format: Flags.string({ summary: `Format of the letter (repeatable; default ${LETTER_FORMATS.join(', ')}).`, options: [...FORMATS], multiple: true }),
  templates: Flags.string({ summary: "A folder with the school's own copies of the templates (rights-*.md, rights.yaml)." }),
};

export function letterOptions(flags: { lang?: string[]; format?: string[]; templates?: string }, now: number): LetterOptions {
  return {
    langs: (flags.lang?.length ? flags.lang : ['nl']) as Lang[],
    formats: (flags.format?.length ? flags.format : LETTER_FORMATS) as Format[],
    ...(flags.templates ? { templatesDir: flags.templates } : {}),
    now,
  };
}

/** Asks for each missing answer in turn (the next question depends on the answers so far, e.g. the relation); each
 * answer is checked where it is asked, by the rules the request is registered by. */
export async function askMissing(config: Config, input: RightsRequestInput, now: number): Promise<RightsRequestInput> {
  const { input: text, select, checkbox } = await import('@inquirer/prompts');
  const answers: RightsRequestInput = { ...input };
  const context = { output: process.stderr };
  const check = (field: RequestField) => (v: string): boolean | string => checkRequestAnswer(config, field, { ...answers, [field]: v.trim() }, now) ?? true;
  for (;;) {
    const field = missingRequestFields(answers)[0];
    if (!field) return answers;
    switch (field) {
      case 'type':
        answers.type = await select({ message: 'What is asked for?', choices: RIGHTS_TYPES.map((t) => ({ value: t, name: t })) }, context);
        break;
      case 'requester':
        answers.requester = (await text({ message: 'Name of the requester', validate: check('requester') }, context)).trim();
        break;
      case 'relation':
        answers.relation = await select({ message: 'The requester is the person on the footage, or their …', choices: RIGHTS_RELATIONS.map((r) => ({ value: r, name: r })) }, context);
        break;
      case 'subject':
        answers.subject = (await text({ message: 'Name of the person on the footage', validate: check('subject') }, context)).trim();
        break;
      case 'subjectBirthdate':
        answers.subjectBirthdate = (await text({ message: 'Their date of birth (YYYY-MM-DD): under 16 a parent exercises their rights', validate: check('subjectBirthdate') }, context)).trim();
        break;
      case 'cameras':
        answers.cameras = await checkbox({ message: 'Which cameras?', choices: config.cameras.map((c) => ({ value: c.id, name: `${c.id}${c.location ? ` (${c.location})` : ''}` })), required: true }, context);
        break;
      case 'from':
        answers.from = (await text({ message: 'Start of the window (school time, e.g. 2026-10-20T08:00)', validate: check('from') }, context)).trim();
        break;
      case 'to':
        answers.to = (await text({ message: 'End of the window (e.g. 2026-10-20T08:30)', validate: check('to') }, context)).trim();
        break;
    }
  }
}
