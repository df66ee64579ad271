import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { instantFlag } from '../../cli/flags.js';
import { renderExports } from '../../cli/views/export.js';
import { listExports, type ExportListing } from '../../core/exports/index.js';

export default class FootageExports extends BaseCommand<typeof FootageExports> {
  static override summary = 'List past evidence exports, their lifetime and where the packages are.';

  static override description = `An export is a copy of personal data with a lifetime: until its case's hold is released, or the camera's retention when there is no case, or the date given with --keep-until. --expired lists the packages past it: footage purge removes those under exports.root; any elsewhere (a USB stick, a share) must be destroyed by whoever holds them.

In a board's config the list is grouped by school (an export of cameras of two schools shows under both; the school is the camera's school in the config as it is now), and --school keeps the exports of that school's cameras.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Packages past their lifetime, for a weekly check', command: '<%= config.bin %> <%= command.id %> --expired --json' },
    { description: "A board's config: the exports of one school's cameras", command: '<%= config.bin %> <%= command.id %> --school klimop' },
  ];

  static override flags = {
    expired: Flags.boolean({ summary: 'Only packages past their lifetime (and not held).' }),
    all: Flags.boolean({ summary: 'Include removed, failed and interrupted exports.' }),
    school: Flags.string({ summary: "A board's config: only exports of this school's cameras (repeatable).", multiple: true }),
    now: Flags.string({ summary: 'Judge expiry as of this moment (ISO 8601), e.g. to see what next week\'s purge removes.' }),
  };

  public async run(): Promise<ExportListing> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const now = instantFlag('now', this.flags.now, config.school.timezone, Date.now());
    const listing = await listExports(register, { now, expired: this.flags.expired, all: this.flags.all, ...(this.flags.school ? { schools: this.flags.school } : {}) }, config);
    this.log(renderExports(listing, config, this.flags.expired));
    return listing;
  }
}
