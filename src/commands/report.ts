import path from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base.js';
import { colour } from '../cli/format.js';
import { currentLanguage, messages } from '../cli/messages.js';
import { ExitCode } from '../core/errors.js';
import { makeReport, REPORT_FORMATS, reportPeriod, writeReportFiles, type ReportFormat, type ReportModel } from '../core/report/index.js';

const text = messages('report');

export interface ReportResult {
  sha256: string;
  files: { path: string; sha256: string; bytes: number }[];
  report: ReportModel;
}

export default class Report extends BaseCommand<typeof Report> {
  static override summary = text.get('summary');

  static override description = text.get('description');

  static override examples = [
    { description: text.get('examples.year'), command: '<%= config.bin %> <%= command.id %> --year 2026' },
    { description: text.get('examples.period'), command: '<%= config.bin %> <%= command.id %> --from 2025-08-01 --to 2026-07-31 --school bron --format html --lang nl --out rapport/' },
    { description: text.get('examples.json'), command: '<%= config.bin %> <%= command.id %> --year 2026 --json' },
  ];

  static override flags = {
    from: Flags.string({ summary: text.get('flags.from'), exclusive: ['year'] }),
    to: Flags.string({ summary: text.get('flags.to'), exclusive: ['year'] }),
    year: Flags.integer({ summary: text.get('flags.year') }),
    school: Flags.string({ summary: text.get('flags.school'), multiple: true }),
    format: Flags.string({ summary: text.get('flags.format'), options: [...REPORT_FORMATS], default: 'pdf' }),
    out: Flags.string({ summary: text.get('flags.out'), default: '.' }),
    confidential: Flags.boolean({ summary: text.get('flags.confidential') }),
  };

  public async run(): Promise<ReportResult> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const now = Date.now();
    const lang = currentLanguage();
    const words = messages('report', lang);
    const period = reportPeriod({ ...(this.flags.from ? { from: this.flags.from } : {}), ...(this.flags.to ? { to: this.flags.to } : {}), ...(this.flags.year !== undefined ? { year: this.flags.year } : {}) }, config.school.timezone, now, words.get('error.period'));
    const report = await makeReport(config, register, {
      ...period,
      now,
      lang,
      format: this.flags.format as ReportFormat,
      text: (key, values) => words.get(key, values),
      ...(this.flags.school ? { schools: this.flags.school } : {}),
      confidential: this.flags.confidential,
    });
    const files = writeReportFiles(report.files, path.resolve(this.flags.out));
    for (const f of files) this.log(words.get('written', { file: f.path }));
    this.log(words.get('digest', { digest: report.sha256 }));
    if (!report.model.proof.intact) {
      this.log(colour.red(words.get('broken')));
      this.setExitCode(ExitCode.failure);
    }
    return { sha256: report.sha256, files, report: report.model };
  }
}
