import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderHistory } from '../../cli/views/documents.js';
import { documentHistory, REGLEMENT_DOCUMENTS, type HistoryEntry } from '../../core/documents/index.js';

export default class ReglementHistory extends BaseCommand<typeof ReglementHistory> {
  static override summary = 'Every version of the regulation (or the protocol, sign, letter) the register keeps: when, by whom, what changed.';

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'The versions of the sign text', command: '<%= config.bin %> <%= command.id %> --document sign' },
  ];

  static override flags = {
    document: Flags.string({ summary: 'Which document.', options: [...REGLEMENT_DOCUMENTS], default: 'reglement' }),
  };

  public async run(): Promise<{ document: string; versions: HistoryEntry[] }> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const document = this.flags.document as (typeof REGLEMENT_DOCUMENTS)[number];
    const versions = await documentHistory(register, document);
    this.log(renderHistory(document, versions, config.school.timezone));
    return { document, versions };
  }
}
