import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { instantFlag } from '../../cli/flags.js';
import { renderStatus } from '../../cli/views/status.js';
import { ExitCode } from '../../core/errors.js';
import { footageStatus, type StatusReport } from '../../core/footage/index.js';

export default class FootageStatus extends BaseCommand<typeof FootageStatus> {
  static override summary = 'Per camera: oldest and newest footage, size, held footage, and proof of retention both ways.';

  static override description = `An error when footage is kept longer than its category allows (run the purge); a warning when the oldest footage is much younger than the retention period (the recorder loses footage early: an evidence gap). Held footage is left out of the "kept (days)" column, which shows what the storage really retains by itself.

Exit codes: 0 no errors · 1 errors found (for monitoring) · 2 bad input or configuration.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'For a monitoring system', command: '<%= config.bin %> <%= command.id %> --json | jq ".findings"' },
  ];

  static override flags = {
    now: Flags.string({ summary: 'Report as of this moment (ISO 8601).' }),
    school: Flags.string({ summary: "Only this school's cameras and storages, in a board's config (repeatable).", multiple: true }),
  };

  public async run(): Promise<StatusReport> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const report = await footageStatus(config, register, { now: instantFlag('now', this.flags.now, config.school.timezone, Date.now()), ...(this.flags.school ? { schools: this.flags.school } : {}) });
    if (report.findings.some((f) => f.severity === 'error')) this.setExitCode(ExitCode.failure);
    this.log(renderStatus(report, config.school.timezone));
    return report;
  }
}
