import path from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { ExitCode } from '../../core/errors.js';
import { documentFlags } from '../../cli/documents.js';
import { terminalAsker } from '../../cli/prompts.js';
import { renderFinding } from '../../cli/views/compliance.js';
import { renderRendered } from '../../cli/views/documents.js';
import { FORMATS, generateDpia, type DpiaResult, type Format, type Lang } from '../../core/documents/index.js';
import { UsageError } from '../../core/errors.js';

export default class DpiaGenerate extends BaseCommand<typeof DpiaGenerate> {
  static override summary = 'Generate the DPIA of the camera system from the settings, the inventory and the answers to a questionnaire.';

  static override description = `What the config cannot know (the proposal, necessity, milder means tried, proportionality, the views of the FG, the MR and the people concerned, the risk ratings and the sign-off) comes from an answers file (YAML). On a terminal without that file, or with --interactive, a questionnaire asks for it, starting from the previous answers (or from the last DPIA in the register), and saves the file: the next run is reproducible without questions. Without a terminal nothing is asked: give --answers FILE.

The DPIA covers every section of the model (proposal, data, purposes, legal framework, retention, legal basis, necessity, rights, risks, measures, residual risk and the Art. 36 decision, views and sign-off), a risk table (likelihood × impact before and after the measures), and the camera inventory as an annex. Hidden cameras go into a confidential annex (0600) with their own FG advice, board decision and the consent of the staff section of the MR; the DPIA itself does not change when one is added or removed.

Exit codes: 0 written, no error findings · 1 written as a concept, with error findings · 2 refused (vastgesteld with errors or gaps, --strict with findings, no answers without a terminal, bad config) · 3 register busy.`;

  static override examples = [
    { description: 'On a terminal: answer the questions (saved to dpia-answers.yaml), then render', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'From saved answers, e.g. in a script', command: '<%= config.bin %> <%= command.id %> --answers dpia-answers.yaml --format docx --format pdf' },
    { description: 'Next year: review last year\'s answers', command: '<%= config.bin %> <%= command.id %> --interactive' },
  ];

  static override flags = {
    answers: Flags.string({ summary: 'The answers file (default: documents.dpia.answers, else dpia-answers.yaml next to the config).' }),
    interactive: Flags.boolean({ summary: 'Ask the questions again (needs a terminal), starting from the saved answers.' }),
    ...documentFlags,
  };

  public async run(): Promise<DpiaResult> {
    const { config } = await this.readConfig();
    if (this.flags.interactive && !this.interactive) {
      throw new UsageError('dpia.no-terminal', '--interactive needs a terminal; without one, give the answers as a file with --answers FILE.');
    }
    const register = this.useRegister(config.register);
    const result = await generateDpia(config, register, {
      ...(this.flags.answers ? { answersFile: this.flags.answers } : {}),
      interactive: this.flags.interactive,
      ...(this.interactive ? { asker: await terminalAsker() } : {}),
      formats: (this.flags.format ?? [...FORMATS]) as Format[],
      langs: (this.flags.lang ?? ['nl']) as Lang[],
      outDir: path.resolve(this.flags.out ?? path.join(config.dir, 'documents')),
      ...(this.flags.templates ? { templatesDir: this.flags.templates } : {}),
      strict: this.flags.strict,
    });
    if (result.asked) this.note(`Saved the answers to ${result.answersFile}.`);
    for (const f of result.compliance.findings) this.note(renderFinding(f));
    this.log(renderRendered(result.documents));
    // A concept with an error finding is written, but the run is not clean.
    if (result.compliance.errors) this.setExitCode(ExitCode.failure);
    return result;
  }
}
