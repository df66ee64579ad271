import { Flags } from '@oclif/core';
import { BaseCommand } from '../../../cli/base.js';
import { renderHolds } from '../../../cli/views/holds.js';
import type { Hold } from '../../../core/register/index.js';

export default class HoldList extends BaseCommand<typeof HoldList> {
  static override summary = 'List active holds (with --all, released ones too).';

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Every hold ever placed, as JSON', command: '<%= config.bin %> <%= command.id %> --all --json' },
  ];

  static override flags = {
    all: Flags.boolean({ summary: 'Include released holds.' }),
  };

  public async run(): Promise<{ holds: Hold[] }> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const holds = await register.listHolds({ includeReleased: this.flags.all });
    this.log(renderHolds(holds, config.school.timezone));
    return { holds };
  }
}
