import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { letterFlags, letterOptions } from '../../cli/rights.js';
import { renderExtend, withRequestJson } from '../../cli/views/rights.js';
import { extendRequest } from '../../core/rights/index.js';

export default class RightsExtend extends BaseCommand<typeof RightsExtend> {
  static override summary = 'Extend the deadline of a complex request by at most two months, and write the letter that says why.';

  static override description = `AVG art. 12(3): the one-month deadline may be extended by two further months where necessary, taking into account the complexity and number of requests; the requester must be told, with the reasons, within the first month. So an extension is refused (exit 2) after the first deadline has passed, or when the request was already extended. The new deadline is two months after the first one on the calendar (31 January: 28 February, then 28 April), or --months 1.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> R-2026-0001 --reason "Op de beelden staan veel andere leerlingen; het onherkenbaar maken kost meer tijd."',
  ];

  static override args = { id: Args.string({ description: 'Request id.', required: true }) };

  static override flags = {
    reason: Flags.string({ summary: 'Why more time is needed (in the letter).', required: true }),
    months: Flags.integer({ summary: 'Months more (1 or 2; default 2).', min: 1, max: 2 }),
    ...letterFlags,
  };

  public async run(): Promise<unknown> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const now = Date.now();
    const result = await extendRequest(config, register, this.args.id, { reason: this.flags.reason, ...(this.flags.months ? { months: this.flags.months } : {}) }, letterOptions(this.flags, now));
    this.log(renderExtend(result));
    return withRequestJson(result);
  }
}
