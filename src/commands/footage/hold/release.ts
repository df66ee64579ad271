import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../../cli/base.js';
import { renderHold } from '../../../cli/views/holds.js';
import { releaseHold } from '../../../core/footage/index.js';
import type { HoldResult } from '../../../core/footage/index.js';

export default class HoldRelease extends BaseCommand<typeof HoldRelease> {
  static override summary = 'Release a hold: its footage is purged on the next run once past its retention.';

  static override description = 'Seed 001 §1.4: once the incident is closed, its footage is destroyed. The release and its reason go into the audit chain. In an S3 bucket with Object Lock the legal holds this hold placed are lifted first (exactly those; a version another active hold covers keeps its legal hold); if that fails the hold stays active and the release can be run again.';

  static override examples = ['<%= config.bin %> <%= command.id %> H-2026-0003 --reason "Zaak afgesloten, politie heeft kopie"'];

  static override args = {
    id: Args.string({ description: 'The hold id (from `footage hold list`).', required: true }),
  };

  static override flags = {
    reason: Flags.string({ summary: 'Why the hold ends (e.g. the incident is closed).', required: true }),
  };

  public async run(): Promise<HoldResult> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const hold = await releaseHold(register, this.args.id, this.flags.reason, config);
    this.log(renderHold(hold, config.school.timezone));
    return hold;
  }
}
