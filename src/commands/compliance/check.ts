import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderCompliance } from '../../cli/views/compliance.js';
import { runComplianceCheck } from '../../core/documents/index.js';
import { ExitCode } from '../../core/errors.js';
import type { ComplianceReport } from '../../core/policy/compliance/index.js';

export default class ComplianceCheck extends BaseCommand<typeof ComplianceCheck> {
  static override summary = 'Check the settings and the camera inventory against the school rules and the law.';

  static override description = `Each finding names its rule, its severity and its source as readers know it ("OVO-protocol camera en video §1.4", "AVG art. 5(1)(e)", "WMS art. 10"): no FG named, no MR consent, retention beyond the guideline without a justification, a camera without a purpose, a camera in or near a toilet or changing room (read in compounds such as "personeelstoiletten"), a classroom watched during lessons, staff monitoring, a view of the public road, a hidden camera without a board decision, suspicion, FG advice or the staff section's consent, no processor agreement with an external beheerder, no signs, sound recorded, a document past its revision date, and more (docs/documents.md lists them all). With a register it also checks that a DPIA exists.

Exit codes: 0 no findings (or warnings only) · 1 errors found (or warnings, with --strict) · 2 bad config.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'In Dutch', command: '<%= config.bin %> <%= command.id %> --lang nl' },
    { description: 'In CI of the school\'s config repository: fail on any finding', command: '<%= config.bin %> <%= command.id %> --strict --json' },
  ];

  static override flags = {
    strict: Flags.boolean({ summary: 'Exit 1 on warnings too.' }),
    lang: Flags.string({ summary: 'Language of the messages.', options: ['en', 'nl'], default: 'en' }),
  };

  public async run(): Promise<ComplianceReport & { register: boolean }> {
    const { config } = await this.readConfig();
    const report = await runComplianceCheck(config, { lang: this.flags.lang as 'en' | 'nl' });
    this.log(renderCompliance(report));
    if (report.errors || (this.flags.strict && report.warnings)) this.setExitCode(ExitCode.failure);
    return report;
  }
}
