import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderDetails, withRequestJson } from '../../cli/views/rights.js';
import { holdJson } from '../../cli/views/holds.js';
import { showRequest } from '../../core/rights/index.js';

export default class RightsShow extends BaseCommand<typeof RightsShow> {
  static override summary = 'Show one request: who, what, its deadline, its milestones and its history in the audit chain.';

  static override examples = ['<%= config.bin %> <%= command.id %> R-2026-0001', '<%= config.bin %> <%= command.id %> R-2026-0001 --json'];

  static override args = { id: Args.string({ description: 'Request id (R-2026-0001).', required: true }) };

  public async run(): Promise<unknown> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const details = await showRequest(register, this.args.id, { now: Date.now(), timeZone: config.school.timezone });
    this.log(renderDetails(details, config.school.timezone));
    return { ...withRequestJson(details), holds: details.holds.map(holdJson) };
  }
}
