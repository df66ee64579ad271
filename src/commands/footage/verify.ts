import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderVerify } from '../../cli/views/export.js';
import { renderSources } from '../../cli/views/verify-sources.js';
import { ExitCode } from '../../core/errors.js';
import { verifyPackage, verifyWithSources, type VerifyReport, type VerifyWithSourcesReport } from '../../core/evidence/index.js';

export default class FootageVerify extends BaseCommand<typeof FootageVerify> {
  static override summary = 'Check an evidence package: every hash, and the signature of its manifest. Offline; no register needed.';

  static override description = `Recomputes the SHA-256 of every file against SHA256SUMS and the manifest, and checks the manifest's Ed25519 signature with the public key in the package, or with the school's published key given by --public-key (which also catches a package re-signed with another key). An encrypted package is checked against its SHA256SUMS; with --identity (an age identity of a recipient) its contents are checked too, in a temporary folder that is removed afterwards.

Works anywhere toezicht is installed: it reads no config and no register.

With --sources (at the school, with its config) it also reads every source segment the manifest names again from its storage — the file, or the object version in its S3 bucket, streamed and hashed without a copy on disk — and reports each as unchanged, changed, gone or unreadable. A source gone after its camera's retention ran out was purged, as it should be; that is said so, and still counts as gone.

Exit codes: 0 unchanged · 1 something changed (each change is named), or with --sources a source is changed, gone or unreadable · 2 not a package, an unreadable key, or (with --sources) no usable config.`;

  static override examples = [
    { description: 'Check a package as its receiver', command: '<%= config.bin %> <%= command.id %> /media/usb/E-2026-0007' },
    { description: "Pin the school's published key", command: '<%= config.bin %> <%= command.id %> E-2026-0007 --public-key school-signing-key.pub.pem' },
    { description: 'An encrypted package', command: '<%= config.bin %> <%= command.id %> E-2026-0008 --identity ~/.age/politie.txt --json' },
    { description: 'At the school: are the recordings the clips came from still there, unchanged?', command: '<%= config.bin %> <%= command.id %> exports/E-2026-0007 --sources' },
    { description: 'The sources that changed or are gone (for a script)', command: "<%= config.bin %> <%= command.id %> exports/E-2026-0007 --sources --json | jq '.sources.sources[] | select(.status != \"unchanged\")'" },
  ];

  static override args = {
    package: Args.string({ description: 'The package folder (DIR/<export id>).', required: true }),
  };

  static override flags = {
    'public-key': Flags.string({ summary: "The school's public key (PEM) to check the signature with, instead of the one in the package." }),
    identity: Flags.string({ summary: 'age identity file, to check the contents of an encrypted package.' }),
    sources: Flags.boolean({ summary: "Also read every source segment again from the school's storage and compare its hash (needs the config)." }),
  };

  public async run(): Promise<VerifyReport | VerifyWithSourcesReport> {
    const options = {
      ...(this.flags['public-key'] ? { publicKey: this.flags['public-key'] } : {}),
      ...(this.flags.identity ? { identity: this.flags.identity } : {}),
    };
    if (this.flags.sources) {
      const { config } = await this.readConfig();
      const report = await verifyWithSources(this.args.package, config, options);
      if (!report.ok) this.setExitCode(ExitCode.failure);
      this.log(`${renderVerify({ ...report, ok: report.packageOk })}\n${renderSources(report.sources)}`);
      return report;
    }
    const report = await verifyPackage(this.args.package, options);
    if (!report.ok) this.setExitCode(ExitCode.failure);
    this.log(renderVerify(report));
    return report;
  }
}
