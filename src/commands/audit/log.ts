import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { sinceFlag } from '../../cli/flags.js';
import { colour, table } from '../../cli/format.js';
import type { AuditEntry } from '../../core/register/index.js';
import { formatLocalShort } from '../../core/time/index.js';

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
    if (!entries.length) this.log('No audit entries.');
    else {
      this.log(
        table(
          ['#', 'time', 'user', 'action', 'details'],
          entries.map((e) => [e.seq, formatLocalShort(Date.parse(e.at), tz, true), e.actor.sudoUser ? `${e.actor.user} (${e.actor.sudoUser})` : e.actor.user, e.action, colour.dim(summarise(e.details))]),
        ),
      );
    }
    return { entries };
  }
}

function summarise(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([k]) => k !== 'digest')
    .map(([k, v]) => `${k}=${Array.isArray(v) && v.every((x) => typeof x !== 'object') ? v.join(',') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}
