import { BaseCommand } from '../../cli/base.js';
import { renderHistory } from '../../cli/views/documents.js';
import { documentHistory, type HistoryEntry } from '../../core/documents/index.js';

export default class DpiaHistory extends BaseCommand<typeof DpiaHistory> {
  static override summary = 'Every version of the DPIA the register keeps: when, by whom, what changed.';

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  public async run(): Promise<{ document: string; versions: HistoryEntry[] }> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const versions = await documentHistory(register, 'dpia');
    this.log(renderHistory('DPIA', versions, config.school.timezone));
    return { document: 'dpia', versions };
  }
}
