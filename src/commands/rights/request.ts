import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { offerToKeepAnswers, readAnswers } from '../../cli/prompts.js';
import { askMissing, letterFlags, letterOptions } from '../../cli/rights.js';
import { renderRequest, withRequestJson } from '../../cli/views/rights.js';
import { holdJson } from '../../cli/views/holds.js';
import { RIGHTS_RELATIONS, RIGHTS_TYPES } from '../../core/register/index.js';
import { checkRequestInput, missingRequestFields, registerRequest, type RightsRequestInput } from '../../core/rights/index.js';

export default class RightsRequest extends BaseCommand<typeof RightsRequest> {
  static override summary = 'Register a data-subject request on footage: its deadline, a hold on the footage at once, and the receipt letter.';

  static override description = `Registers a request for access, a copy, rectification, erasure, restriction or objection (AVG arts. 15–18, 21) with an id (R-2026-0001), computes its deadline (one month from receipt, on the calendar: 31 January → 28 or 29 February) and at once places a hold on the cameras and window named, so the 4-week purge cannot destroy the footage while the request is open. Writes the receipt letter (ontvangstbevestiging) into rights/<id>/ (config rights.root), in Dutch (--lang en for English), as Markdown, Word and PDF.

Under 16 a parent with parental authority or a guardian exercises the child's rights (UAVG art. 5): a subject under 16 on the day of receipt with another requester is refused (exit 2, nothing registered). A parent or guardian must give the child's date of birth.

On a terminal, what is missing is asked, and each answer is checked where it is asked (a date of birth that is not on the calendar is asked again); without one nothing is asked and the missing flags are named (exit 2). When registering fails after the questions, it offers to keep the answers in a file it names (0600: it holds names); --answers FILE starts from them again. Times without an offset are school time; a date alone for --to means the end of that day.`;

  static override examples = [
    {
      description: 'A parent asks to see the footage of their child at the main entrance',
      command:
        '<%= config.bin %> <%= command.id %> --type access --requester "J. de Vries" --relation parent --subject "Sanne de Vries" --subject-birthdate 2014-03-02 --camera entree --from 2026-10-20T08:00 --to 2026-10-20T08:30 --description "Sanne werd bij de ingang geduwd"',
    },
    {
      description: 'A teacher asks that a recording of them be deleted (received by mail last Friday)',
      command: '<%= config.bin %> <%= command.id %> --type erasure --requester "M. Jansen" --relation staff --subject "M. Jansen" --camera aula --from 2026-10-21T12:00 --to 2026-10-21T12:45 --received 2026-10-23',
    },
    { description: 'On a terminal: answer the questions', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Again from the answers a failed try kept', command: '<%= config.bin %> <%= command.id %> --answers rights-request-answers-20261020-081500.json' },
  ];

  static override flags = {
    type: Flags.string({ summary: 'What is asked for.', options: [...RIGHTS_TYPES] }),
    requester: Flags.string({ summary: 'Name of the person who asks.' }),
    relation: Flags.string({ summary: 'The requester is the person on the footage (self), or their parent, guardian …', options: [...RIGHTS_RELATIONS] }),
    subject: Flags.string({ summary: 'Name of the person on the footage (default: the requester, for self).' }),
    'subject-birthdate': Flags.string({ summary: 'Date of birth of the person on the footage (YYYY-MM-DD); needed for a parent or guardian.' }),
    camera: Flags.string({ summary: 'Camera id (repeatable).', multiple: true }),
    from: Flags.string({ summary: 'Start of the window (ISO 8601; school time without an offset).' }),
    to: Flags.string({ summary: 'End of the window.' }),
    description: Flags.string({ summary: 'What the requester says: where, how they looked, what happened.' }),
    received: Flags.string({ summary: 'Day the request reached the school (YYYY-MM-DD; default today).' }),
    answers: Flags.string({ summary: 'Start from answers kept by an earlier try (the file it named); flags given as well win.' }),
    ...letterFlags,
  };

  public async run(): Promise<unknown> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const kept = this.flags.answers ? (readAnswers(this.flags.answers) as RightsRequestInput) : {};
    const given: RightsRequestInput = {
      type: this.flags.type,
      requester: this.flags.requester,
      relation: this.flags.relation,
      subject: this.flags.subject,
      subjectBirthdate: this.flags['subject-birthdate'],
      cameras: this.flags.camera,
      from: this.flags.from,
      to: this.flags.to,
      description: this.flags.description,
      received: this.flags.received,
    };
    let input: RightsRequestInput = { ...kept, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
    input.cameras ??= [];
    const now = Date.now();
    // What was given is checked before anything is asked: no question is answered in vain.
    checkRequestInput(config, input, now);
    const asked = this.interactive && missingRequestFields(input).length > 0;
    if (asked) input = await askMissing(config, input, now);
    const before = asked ? (await register.listRightsRequests()).length : 0;
    let result;
    try {
      result = await registerRequest(config, register, input, { now, letters: letterOptions(this.flags, now) });
    } catch (error) {
      // Failed after the questions, before anything was registered: the answers need not be typed again.
      if (asked && (await register.listRightsRequests().then((l) => l.length === before, () => true))) {
        const file = await offerToKeepAnswers(input, 'rights-request');
        if (file) this.note(`Your answers are in ${file} (it holds names: delete it when done). Try again with: ${this.config.bin} rights request --answers ${file}`);
      }
      throw error;
    }
    this.log(renderRequest(result, config.school.timezone));
    return { ...withRequestJson(result), hold: result.hold && holdJson(result.hold) };
  }
}
