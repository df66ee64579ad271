import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderDiff } from '../../cli/views/documents.js';
import { documentDiff, LANGS, REGLEMENT_DOCUMENTS, type Lang, type VersionDiff } from '../../core/documents/index.js';

export default class ReglementDiff extends BaseCommand<typeof ReglementDiff> {
  static override summary = 'What changed between two versions of the regulation: the settings, and the text line by line.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> 1 2',
    { description: 'The English text of the protocol', command: '<%= config.bin %> <%= command.id %> 2 3 --document protocol --lang en' },
  ];

  static override args = {
    from: Args.integer({ description: 'The older version.', required: true, min: 1 }),
    to: Args.integer({ description: 'The newer version.', required: true, min: 1 }),
  };

  static override flags = {
    document: Flags.string({ summary: 'Which document.', options: [...REGLEMENT_DOCUMENTS], default: 'reglement' }),
    lang: Flags.string({ summary: 'Language of the text to compare.', options: [...LANGS], default: 'nl' }),
  };

  public async run(): Promise<VersionDiff> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const diff = await documentDiff(register, this.flags.document as (typeof REGLEMENT_DOCUMENTS)[number], this.args.from, this.args.to, this.flags.lang as Lang);
    this.log(renderDiff(diff));
    return diff;
  }
}
