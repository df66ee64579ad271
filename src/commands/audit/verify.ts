import { BaseCommand } from '../../cli/base.js';
import { colour } from '../../cli/format.js';
import { ExitCode } from '../../core/errors.js';
import type { AuditVerification } from '../../core/register/index.js';

export default class AuditVerify extends BaseCommand<typeof AuditVerify> {
  static override summary = 'Check that the audit chain is intact: no entry edited, deleted or reordered.';

  static override description = `Every destructive or disclosing action (purge runs, holds, exports, requests) is an entry whose hash covers the entry before it. This recomputes every hash, checks the chain ends where the register recorded, and checks each purge run's deletion records against the digest in its entry.

Exit codes: 0 intact · 1 broken (the first broken entry is named) · 2 no config or register.`;

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  public async run(): Promise<AuditVerification> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const result = await register.verifyAudit();
    if (!result.ok) this.setExitCode(ExitCode.failure);
    if (result.broken) this.log(colour.red(`The audit chain is broken at entry ${result.broken.seq}: ${result.broken.problem}.`));
    for (const t of result.tamperedRuns) {
      this.log(colour.red(`The deletion records of purge run ${t.runId} no longer match audit entry ${t.seq}: they were edited.`));
    }
    if (result.ok) this.log(colour.green(`The audit chain is intact: ${result.entries} entr${result.entries === 1 ? 'y' : 'ies'}.`));
    return result;
  }
}
