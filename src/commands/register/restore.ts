import path from 'node:path';
import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { confirmIrreversible, yesFlag } from '../../cli/confirm.js';
import { colour } from '../../cli/format.js';
import { restoreRegister, type RestoreResult } from '../../core/footage/index.js';

export default class RegisterRestore extends BaseCommand<typeof RegisterRestore> {
  static override summary = 'Put a register backup (register backup FILE) in place of the register, after checking it.';

  static override description = `The backup must be a toezicht register that passes PRAGMA quick_check and whose audit chain and holds verify, and it must be a backup of the register the storages are marked for. The register it replaces is kept beside it (renamed, never deleted). The restore is an entry in the restored chain, with the entries lost since the backup (from the newest anchor in the storages); the storages are then anchored to the restored chain. Holds added after the backup are still kept by the storages' hold records, and reported by the purge.

On a terminal it asks for confirmation (default No); without one it needs --yes.

Exit codes: 0 restored · 2 the backup was refused, or no confirmation (nothing changed).`;

  static override examples = [
    { description: 'Restore last night\'s backup', command: '<%= config.bin %> <%= command.id %> /var/backups/toezicht/register-2026-12-07.db' },
    { description: 'From a script', command: '<%= config.bin %> <%= command.id %> /var/backups/toezicht/register-2026-12-07.db --yes' },
  ];

  static override args = {
    file: Args.string({ description: 'The backup to restore.', required: true }),
  };

  static override flags = { ...yesFlag };

  public async run(): Promise<RestoreResult> {
    const { config } = await this.readConfig();
    const file = path.resolve(this.args.file);
    await confirmIrreversible(
      { interactive: this.interactive, yes: this.flags.yes, command: `toezicht register restore ${file} --yes` },
      { action: `replace the register ${config.register} with the backup ${file}`, summary: [`the register now in use is kept beside it, renamed`] },
    );
    const result = await restoreRegister(config, file);
    this.log(colour.green(`Restored ${result.from} as the register ${result.register} (audit head ${result.head.seq}).`));
    if (result.movedAside) this.log(`The register it replaced is kept as ${result.movedAside}.`);
    if (result.anchor && result.anchor.seq > result.backupHead.seq) {
      this.log(colour.yellow(`The storages had seen entry ${result.anchor.seq}; the backup ends at ${result.backupHead.seq}: ${result.anchor.seq - result.backupHead.seq} entries were lost (recorded in the chain).`));
    }
    for (const p of result.problems) this.note(`warning: ${p}`);
    return result;
  }
}
