import { BaseCommand } from '../../cli/base.js';
import { colour } from '../../cli/format.js';
import { ExitCode } from '../../core/errors.js';
import { verifyRegister, type RegisterVerification } from '../../core/footage/index.js';

export default class AuditVerify extends BaseCommand<typeof AuditVerify> {
  static override summary = 'Check that the audit chain is intact: no entry edited, deleted or reordered, no hold changed behind its back.';

  static override description = `Every destructive or disclosing action (purge runs, holds, exports, requests) is an entry whose hash covers the entry before it. This recomputes every hash, checks the chain ends where the register recorded, checks each purge run's deletion records against the digest in its entry, rebuilds the holds from their entries and compares them with the holds table, and compares the chain with the newest anchor (the head written into the storages' markers after every purge, export and hold change): a chain emptied, truncated or rewritten after that anchor is reported.

Exit codes: 0 intact · 1 broken (the first broken entry, changed hold or anchor is named) · 2 no config or register.`;

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  public async run(): Promise<RegisterVerification> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const result = await verifyRegister(config, register);
    if (!result.ok) this.setExitCode(ExitCode.failure);
    if (result.broken) this.log(colour.red(`The audit chain is broken at entry ${result.broken.seq}: ${result.broken.problem}.`));
    for (const t of result.tamperedRuns) {
      this.log(colour.red(`The deletion records of purge run ${t.runId} no longer match audit entry ${t.seq}: they were edited.`));
    }
    for (const h of result.tamperedHolds) this.log(colour.red(`The holds table was changed behind the register's back: ${h.problem}.`));
    if (result.anchorProblem) this.log(colour.red(`The audit chain does not match its anchor: ${result.anchorProblem}.`));
    for (const f of result.foreignStorages) this.log(colour.yellow(`Storage ${f.storage} is marked for another register (${f.registerId}).`));
    if (result.ok) {
      const anchored = result.anchor ? `; it holds entry ${result.anchor.seq} as anchored in storage ${result.anchor.storage} on ${result.anchor.at}` : '; no anchor found in the storages yet';
      this.log(colour.green(`The audit chain is intact: ${result.entries} entr${result.entries === 1 ? 'y' : 'ies'}${anchored}.`));
    }
    return result;
  }
}
