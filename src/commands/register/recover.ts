import { BaseCommand } from '../../cli/base.js';
import { colour } from '../../cli/format.js';
import { recoverRegister, type RecoverResult } from '../../core/footage/index.js';

export default class RegisterRecover extends BaseCommand<typeof RegisterRecover> {
  static override summary = "Rebuild a lost, emptied or damaged register from the storages' hold records and their newest anchor.";

  static override description = `Every storage keeps a record of each hold beside its footage (signed with the school's key) and the newest head of the audit chain. This makes a new register with every hold found there (active and released, with their own ids), records the recovery — the registers it replaces and the old chain's newest anchor — as the new chain's first entries, and marks the storages for the new register. Every storage must be readable: a hold whose only record is on a storage that is away would be lost. A register that is there and sound is never replaced; a broken or foreign file is kept beside it, renamed.

What is not recovered: purge runs and their deletion records, exports, documents and requests of the old register (restore a backup for those: \`toezicht register restore FILE\`).

Exit codes: 0 recovered · 2 the register is sound, or a storage cannot be read (nothing changed).`;

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  public async run(): Promise<RecoverResult> {
    const { config } = await this.readConfig();
    const result = await recoverRegister(config);
    this.log(colour.green(`Recovered the register ${result.register} (new id ${result.registerId}) from ${result.storages.length} storage${result.storages.length === 1 ? '' : 's'}.`));
    if (result.movedAside) this.log(`The file it replaces is kept as ${result.movedAside}.`);
    if (result.anchor) this.log(`The old chain was last anchored at entry ${result.anchor.seq} (${result.anchor.hash}) in storage ${result.anchor.storage} on ${result.anchor.at}.`);
    for (const h of result.holds) this.log(`  ${h.id}  ${h.released ? 'released' : 'active  '}  ${h.cameras.join(', ')}  ${h.from} – ${h.to}${h.signature === 'valid' ? '' : `  (${h.signature})`}`);
    for (const p of result.problems) this.note(`warning: ${p}`);
    return result;
  }
}
