import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { currentActor, displayUrl, migrateRegister, PASSWORD_ENV, type MigrateResult } from '../../core/register/index.js';

export default class RegisterMigrate extends BaseCommand<typeof RegisterMigrate> {
  static override summary = "Copy the embedded register (SQLite) into a board's PostgreSQL database, with its audit chain intact.";

  static override description = `Every table is copied row for row in one transaction (ids, holds, purge runs, exports, and every audit entry with its hash unchanged); then the copy's chain is verified there. Both registers record the move in their own chain. The database must be empty (a new database for the register); the password comes from ${PASSWORD_ENV} (or ~/.pgpass), never from the URL. Afterwards point the config's register at the URL on every host; the file stays as it was (keep it as a backup).`;

  static override examples = [
    {
      description: 'Move a school onto the board register',
      command: `${PASSWORD_ENV}=… <%= config.bin %> <%= command.id %> --to postgres://toezicht@db.bestuur.nl/toezicht`,
    },
  ];

  static override flags = {
    to: Flags.string({ summary: 'The PostgreSQL database to copy into (postgres://user@host[:port]/db, without a password).', required: true }),
  };

  public async run(): Promise<MigrateResult> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const result = await migrateRegister(register, this.flags.to, currentActor());
    this.log(`Copied ${result.from} to ${displayUrl(result.to)}: ${result.tables.reduce((n, t) => n + t.rows, 0)} rows in ${result.tables.length} tables.`);
    this.log(`The audit chain verifies there: ${result.verified.entries} entr${result.verified.entries === 1 ? 'y' : 'ies'} (through ${result.copiedThrough.seq}, then its own entry ${result.targetEntry}).`);
    this.log(`Now set  register: ${displayUrl(result.to)}  in the config on every host, with ${PASSWORD_ENV} in their environment.`);
    return result;
  }
}
