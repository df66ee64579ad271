import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { sinceFlag } from '../../cli/flags.js';
import { csv } from '../../cli/views/csv.js';
import { UsageError } from '../../core/errors.js';
import { DISCLOSURE_ACTIONS, disclosureRows, type DisclosureRow } from '../../core/register/index.js';

const COLUMNS: (keyof DisclosureRow)[] = ['seq', 'at', 'user', 'sudoUser', 'host', 'action', 'reference', 'case', 'recipient', 'reason', 'legalBasis', 'cameras', 'from', 'to', 'manifestSha256', 'location', 'encryptedFor', 'hold', 'details'];

export default class AuditExport extends BaseCommand<typeof AuditExport> {
  static override summary = 'Every disclosure of footage as CSV, for the privacy officer (who, when, to whom, why, which footage).';

  static override description = `Writes the disclosures recorded in the audit chain (every evidence export) as CSV on stdout, one row each: when, who (and who ran sudo), the export, the case, recipient, reason and legal basis, cameras and period, the manifest's SHA-256, where the package was written and for whom it was encrypted. With --all, every audit entry. Cells that a spreadsheet would read as a formula start with '.`;

  static override examples = [
    { description: 'Every disclosure this school year, for Excel (semicolons)', command: '<%= config.bin %> <%= command.id %> --csv --since 2026-08-01 --separator ";" > verstrekkingen.csv' },
    { description: 'The whole audit chain', command: '<%= config.bin %> <%= command.id %> --csv --all > audit.csv' },
  ];

  static override flags = {
    csv: Flags.boolean({ summary: 'CSV (the default format; --json gives the same rows as JSON).' }),
    since: Flags.string({ summary: 'Only entries from this moment (ISO 8601) or this long ago (P30D).' }),
    all: Flags.boolean({ summary: 'Every audit entry, not only disclosures.' }),
    separator: Flags.string({ summary: 'Field separator (Dutch Excel expects ";").', default: ',' }),
  };

  public async run(): Promise<{ rows: DisclosureRow[] }> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const tz = config.school.timezone;
    const sinceMs = sinceFlag(this.flags.since, tz);
    if (this.flags.separator.length !== 1 || /["\r\n]/.test(this.flags.separator)) throw new UsageError('flag.separator', '--separator must be one character other than a quote or a line break, e.g. "," or ";".');
    const entries = await register.auditEntries(sinceMs !== undefined ? { sinceMs } : {});
    const rows = disclosureRows(this.flags.all ? entries : entries.filter((e) => DISCLOSURE_ACTIONS.includes(e.action)));
    if (!this.jsonEnabled()) process.stdout.write(csv(COLUMNS, rows.map((r) => COLUMNS.map((c) => r[c])), this.flags.separator));
    return { rows };
  }
}
