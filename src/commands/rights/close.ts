import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { letterFlags, letterOptions } from '../../cli/rights.js';
import { renderClose, withRequestJson } from '../../cli/views/rights.js';
import { RIGHTS_OUTCOMES } from '../../core/register/index.js';
import { closeRequest } from '../../core/rights/index.js';

export default class RightsClose extends BaseCommand<typeof RightsClose> {
  static override summary = "Close a request: write the answer letter, release the request's hold, record whether it was on time.";

  static override description = `Writes the answer (what was found, what is attached, why parts were refused) or, with --outcome no-data, the letter that there is no footage (deleted under the 4-week rule, or the person is not on it); each names the right to complain to the Autoriteit Persoonsgegevens. Releases the hold placed at receipt, so normal retention resumes; a restriction (rights fulfil on a restriction request) stays until its own hold is released. granted and partial need the request carried out first (rights fulfil).`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> R-2026-0001 --outcome granted --reason "U ontvangt de beelden; andere leerlingen zijn onherkenbaar gemaakt."',
    { description: 'The footage was already deleted', command: '<%= config.bin %> <%= command.id %> R-2026-0002 --outcome no-data --reason "De beelden waren al gewist na de bewaartermijn." --lang nl --lang en' },
  ];

  static override args = { id: Args.string({ description: 'Request id.', required: true }) };

  static override flags = {
    outcome: Flags.string({ summary: 'The decision.', options: [...RIGHTS_OUTCOMES], required: true }),
    reason: Flags.string({ summary: 'The decision in a sentence or two, with the grounds of any refusal (in the letter).', required: true }),
    ...letterFlags,
  };

  public async run(): Promise<unknown> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const now = Date.now();
    const result = await closeRequest(config, register, this.args.id, { outcome: this.flags.outcome, reason: this.flags.reason }, letterOptions(this.flags, now));
    this.log(renderClose(result));
    return withRequestJson(result);
  }
}
