import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderReport } from '../../cli/views/rights.js';
import { yearReport, type YearReport } from '../../core/rights/index.js';

export default class RightsReport extends BaseCommand<typeof RightsReport> {
  static override summary = "The year's data-subject requests in numbers, for the privacy officer's annual report.";

  static override description = 'Requests received in the year (by day of receipt): by type, by outcome, answered on time or late (open ones within or past their deadline), extended, days to answer, and who asked.';

  static override examples = ['<%= config.bin %> <%= command.id %> --year 2026', '<%= config.bin %> <%= command.id %> --year 2026 --json'];

  static override flags = {
    year: Flags.integer({ summary: 'Calendar year (default: this year).' }),
  };

  public async run(): Promise<YearReport> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const report = await yearReport(register, { year: this.flags.year ?? new Date().getFullYear(), now: Date.now(), timeZone: config.school.timezone });
    this.log(renderReport(report));
    return report;
  }
}
