import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderList } from '../../cli/views/rights.js';
import { ExitCode } from '../../core/errors.js';
import { listRequests, type RequestListing } from '../../core/rights/index.js';

export default class RightsList extends BaseCommand<typeof RightsList> {
  static override summary = 'List data-subject requests with their state and the days left to answer.';

  static override description = `Days left to the deadline (extended or not), coloured: green 10 or more, amber under 10, red under 5 or past. With --overdue only the red requests are listed and the exit code is 1 when there is any: a cron alert.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --open',
    { description: 'Every morning: mail the privacy officer when a request is about to run late', command: '30 7 * * *  <%= config.bin %> <%= command.id %> --overdue || mail -s "Verzoeken betrokkenen" fg@school.nl' },
  ];

  static override flags = {
    open: Flags.boolean({ summary: 'Only requests that are not closed.' }),
    overdue: Flags.boolean({ summary: 'Only open requests with under 5 days left or past their deadline; exit 1 when there is any.' }),
  };

  public async run(): Promise<RequestListing> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const listing = await listRequests(register, { now: Date.now(), timeZone: config.school.timezone, open: this.flags.open, overdue: this.flags.overdue });
    if (!(this.flags.overdue && !listing.requests.length)) this.log(renderList(listing));
    if (this.flags.overdue && listing.red) this.setExitCode(ExitCode.failure);
    return listing;
  }
}
