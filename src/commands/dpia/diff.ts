import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderDiff } from '../../cli/views/documents.js';
import { documentDiff, LANGS, type Lang, type VersionDiff } from '../../core/documents/index.js';

export default class DpiaDiff extends BaseCommand<typeof DpiaDiff> {
  static override summary = 'What changed between two versions of the DPIA: the settings and answers, and the text line by line.';

  static override examples = ['<%= config.bin %> <%= command.id %> 1 2', { description: 'The English text', command: '<%= config.bin %> <%= command.id %> 1 2 --lang en' }];

  static override args = {
    from: Args.integer({ description: 'The older version.', required: true, min: 1 }),
    to: Args.integer({ description: 'The newer version.', required: true, min: 1 }),
  };

  static override flags = {
    lang: Flags.string({ summary: 'Language of the text to compare.', options: [...LANGS], default: 'nl' }),
  };

  public async run(): Promise<VersionDiff> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const diff = await documentDiff(register, 'dpia', this.args.from, this.args.to, this.flags.lang as Lang);
    this.log(renderDiff(diff));
    return diff;
  }
}
