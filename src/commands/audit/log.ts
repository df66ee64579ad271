import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { sinceFlag } from '../../cli/flags.js';
import { renderAuditEntries } from '../../cli/views/audit.js';
import type { AuditEntry } from '../../core/register/index.js';

export default class AuditLog extends BaseCommand<typeof AuditLog> {
  static override summary = 'Show the audit chain: who did what, when.';

  static override examples = [
    { description: 'The last week', command: '<%= config.bin %> <%= command.id %> --since P7D' },
    { description: 'Every hold placed or released since 1 September, as JSON', command: '<%= config.bin %> <%= command.id %> --since 2026-09-01 --action hold --json' },
  ];

  static override flags = {
    since: Flags.string({ summary: 'Only entries from this moment (ISO 8601 date or time) or this long ago (P7D).' }),
    action: Flags.string({ summary: 'Only this action or action group (hold, hold.add, purge …).' }),
    limit: Flags.integer({ summary: 'Only the last N entries.', min: 1 }),
  };

  public async run(): Promise<{ entries: AuditEntry[] }> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const tz = config.school.timezone;
    const sinceMs = sinceFlag(this.flags.since, tz);
    const entries = await register.auditEntries({
      ...(sinceMs !== undefined ? { sinceMs } : {}),
      ...(this.flags.action ? { action: this.flags.action } : {}),
      ...(this.flags.limit ? { limit: this.flags.limit } : {}),
    });
    this.log(renderAuditEntries(entries, tz));
    return { entries };
  }
}

