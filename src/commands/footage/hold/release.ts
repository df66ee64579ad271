import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../../cli/base.js';
import { holdJson, renderHold, type HoldJson } from '../../../cli/views/holds.js';
import { releaseHold } from '../../../core/footage/index.js';
import type { HoldResult } from '../../../core/footage/index.js';

export default class HoldRelease extends BaseCommand<typeof HoldRelease> {
  static override summary = 'Release a hold: its footage is purged on the next run once past its retention.';

  static override description = 'Seed 001 §1.4: once the incident is closed, its footage is destroyed. The release and its reason go into the audit chain. In an S3 bucket with Object Lock the legal holds this hold placed are lifted first (exactly those; a version another active hold covers keeps its legal hold); if that fails the hold stays active and the release can be run again. In a board\'s config, --school refuses (exit 2, nothing released) a hold that is on none of that school\'s cameras.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> H-2026-0003 --reason "Zaak afgesloten, politie heeft kopie"',
    { description: "A board's config: refuse (exit 2) if the hold is not on this school's cameras", command: '<%= config.bin %> <%= command.id %> H-2026-0003 --school klimop --reason "Zaak afgesloten"' },
  ];

  static override args = {
    id: Args.string({ description: 'The hold id (from `footage hold list`).', required: true }),
  };

  static override flags = {
    reason: Flags.string({ summary: 'Why the hold ends (e.g. the incident is closed).', required: true }),
    school: Flags.string({ summary: "A board's config: refuse unless the hold is on cameras of this school (repeatable).", multiple: true }),
  };

  public async run(): Promise<HoldJson<HoldResult>> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const hold = await releaseHold(register, this.args.id, this.flags.reason, config, this.flags.school ? { schools: this.flags.school } : {});
    this.log(renderHold(hold, config.school.timezone));
    for (const p of hold.storageProblems ?? []) this.note(`warning: ${p}`);
    return holdJson(hold);
  }
}
