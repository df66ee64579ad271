import path from 'node:path';
import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { formatBytes } from '../../cli/format.js';
import { backupRegister, type BackupResult } from '../../core/register/index.js';

export default class RegisterBackup extends BaseCommand<typeof RegisterBackup> {
  static override summary = 'Copy the register into FILE (SQLite online backup, mode 0600), safely while others write to it.';

  static override description = `A consistent copy of the embedded register, made while purges, holds and exports may be writing. FILE must not exist. Keep backups off this machine (they hold personal data: keep them as protected as the register). A PostgreSQL register is backed up with pg_dump; this says how.

Exit codes: 0 done · 2 FILE exists, or the register is on PostgreSQL.`;

  static override examples = [
    { description: 'A backup now', command: '<%= config.bin %> <%= command.id %> /var/backups/toezicht/register-$(date +%F).db' },
    { description: 'Nightly from cron, after the purge', command: '30 2 * * *  <%= config.bin %> <%= command.id %> --config /etc/toezicht/toezicht.config.yaml /var/backups/toezicht/register-$(date +\\%F).db' },
  ];

  static override args = {
    file: Args.string({ description: 'Where to write the copy (a new file).', required: true }),
  };

  public async run(): Promise<BackupResult> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const result = await backupRegister(register, path.resolve(this.args.file));
    this.log(`Copied the register ${result.register} to ${result.file} (${formatBytes(result.bytes)}, mode 0600, audit head ${result.head.seq}).`);
    return result;
  }
}
