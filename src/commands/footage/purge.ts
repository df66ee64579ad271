import { Flags } from '@oclif/core';
import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import { BaseCommand } from '../../cli/base.js';
import { instantFlag } from '../../cli/flags.js';
import { formatBytes, formatCount } from '../../cli/format.js';
import { renderPurge } from '../../cli/views/purge.js';
import { ExitCode } from '../../core/errors.js';
import { purgeFootage, type PurgeOptions, type PurgeReport } from '../../core/footage/index.js';

export default class FootagePurge extends BaseCommand<typeof FootagePurge> {
  static override summary = 'Delete footage past its retention period, except footage under a hold.';

  static override description = `Every segment whose end is older than now minus its camera's retention is deleted, unless an active hold covers it. Times come from the file paths, never from file dates. Files that do not match the storage layout, or belong to no configured camera, are never deleted and are reported.

The purge refuses to run, deleting nothing (exit 2), when the register is missing or unreadable (holds would be unknown), when the register is empty, not toezicht's, damaged, not the register the storage was marked for, or its holds or audit chain were changed behind its back (see docs/purge.md), when a storage root is missing, or empty where the last run found footage (an unmounted share), or when its layout matches none of its files. Only one purge runs at a time (a second one exits 3). A purge killed at any moment and started again ends where an uninterrupted one would; every deleted file is recorded with its run in the register, and each run is an entry in the audit chain.

Expired evidence packages (footage export) under exports.root are removed in the same run; packages whose case is still held stay, and expired packages outside exports.root are listed for whoever holds them to destroy.

Exit codes: 0 done · 1 some files could not be deleted, or --check found expired footage or packages, or a hold a storage keeps that the register lacks · 2 bad input or a safety refusal · 3 another purge is running.`;

  static override examples = [
    { description: 'See what would be deleted, without deleting anything', command: '<%= config.bin %> <%= command.id %> --dry-run' },
    { description: 'Nightly from cron: quiet unless something is wrong', command: '15 2 * * *  <%= config.bin %> <%= command.id %> --config /etc/toezicht/toezicht.config.yaml --quiet' },
    { description: 'Monitoring: exit 1 when footage is kept past its retention', command: '<%= config.bin %> <%= command.id %> --check --json' },
    { description: "A board's config: one school only", command: '<%= config.bin %> <%= command.id %> --school klimop' },
    { description: 'One camera, as of a given moment', command: '<%= config.bin %> <%= command.id %> --camera entree --now 2026-11-01T03:00 --dry-run --list' },
  ];

  static override flags = {
    'dry-run': Flags.boolean({ summary: 'Delete nothing; report the same plan.' }),
    check: Flags.boolean({ summary: 'Delete nothing; exit 1 when expired footage exists (for monitoring).', exclusive: ['dry-run'] }),
    now: Flags.string({ summary: 'Act as if it were this moment (ISO 8601; school time without an offset).' }),
    storage: Flags.string({ summary: 'Only this storage (repeatable).', multiple: true }),
    camera: Flags.string({ summary: 'Only this camera (repeatable).', multiple: true }),
    school: Flags.string({ summary: "Only this school's cameras and storages, in a board's config (repeatable).", multiple: true }),
    list: Flags.boolean({ summary: 'List every file deleted (or to delete) and every file a hold keeps.' }),
    quiet: Flags.boolean({ char: 'q', summary: 'Print nothing unless something is wrong (for cron).' }),
  };

  public async run(): Promise<PurgeReport> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const options: PurgeOptions = {
      now: instantFlag('now', this.flags.now, config.school.timezone, Date.now()),
      dryRun: this.flags['dry-run'],
      check: this.flags.check,
      list: this.flags.list,
      ...(this.flags.storage ? { storages: this.flags.storage } : {}),
      ...(this.flags.camera ? { cameras: this.flags.camera } : {}),
      ...(this.flags.school ? { schools: this.flags.school } : {}),
    };

    let report: PurgeReport;
    if (this.showProgress && !this.flags.quiet) {
      report = await this.withProgress((onProgress) => purgeFootage(config, register, { ...options, onProgress }));
    } else {
      report = await purgeFootage(config, register, options);
    }

    const expiredExports = (report.exports?.removed.length ?? 0) + (report.exports?.outside.length ?? 0);
    const failed = report.errors.length > 0 || (report.check && (report.deleted.files > 0 || expiredExports > 0 || report.storageHolds.length > 0));
    if (failed) this.setExitCode(ExitCode.failure);
    if (!this.flags.quiet || failed || report.warnings.length || report.interruptedRuns.length) this.log(renderPurge(report, config.school.timezone));
    return report;
  }

  private async withProgress(run: (onProgress: PurgeOptions['onProgress']) => Promise<PurgeReport>): Promise<PurgeReport> {
    let report: PurgeReport | undefined;
    const tasks = new Listr(
      [
        {
          title: this.flags['dry-run'] || this.flags.check ? 'Reading footage (nothing is deleted)' : 'Purging expired footage',
          task: async (_ctx, task): Promise<void> => {
            report = await run((p) => {
              task.output =
                p.phase === 'probe'
                  ? `${p.storage}: checking the storage`
                  : `${p.storage}: ${formatCount(p.scanned)} file${p.scanned === 1 ? '' : 's'} read, ${formatCount(p.deleted)} ${this.flags['dry-run'] || this.flags.check ? 'expired' : `deleted (${formatBytes(p.bytes)})`}`;
            });
          },
        },
      ],
      {
        renderer: 'default',
        // Progress goes to stderr: stdout is for the report.
        rendererOptions: { logger: new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) }) },
        registerSignalListeners: false,
        exitOnError: true,
      },
    );
    await tasks.run();
    return report!;
  }
}
