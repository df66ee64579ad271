import { Flags } from '@oclif/core';
import { BaseCommand } from '../../../cli/base.js';
import { holdListingJson, renderHolds } from '../../../cli/views/holds.js';
import { listHolds } from '../../../core/footage/index.js';

export default class HoldList extends BaseCommand<typeof HoldList> {
  static override summary = 'List active holds (with --all, released ones too).';

  static override description = "In a board's config the holds are grouped by school (a hold on cameras of two schools shows under both), and with --json each hold carries the schools whose cameras it holds.";

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Every hold ever placed, as JSON', command: '<%= config.bin %> <%= command.id %> --all --json' },
    { description: "A board's config: the holds on one school's cameras", command: '<%= config.bin %> <%= command.id %> --school klimop' },
  ];

  static override flags = {
    all: Flags.boolean({ summary: 'Include released holds.' }),
    school: Flags.string({ summary: "A board's config: only holds on this school's cameras (repeatable).", multiple: true }),
  };

  public async run(): Promise<ReturnType<typeof holdListingJson>> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const listing = await listHolds(config, register, { all: this.flags.all, ...(this.flags.school ? { schools: this.flags.school } : {}) });
    this.log(renderHolds(listing, config));
    return holdListingJson(listing);
  }
}
