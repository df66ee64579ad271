import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderVerify } from '../../cli/views/export.js';
import { ExitCode } from '../../core/errors.js';
import { verifyPackage, type VerifyReport } from '../../core/evidence/index.js';

export default class FootageVerify extends BaseCommand<typeof FootageVerify> {
  static override summary = 'Check an evidence package: every hash, and the signature of its manifest. Offline; no register needed.';

  static override description = `Recomputes the SHA-256 of every file against SHA256SUMS and the manifest, and checks the manifest's Ed25519 signature with the public key in the package, or with the school's published key given by --public-key (which also catches a package re-signed with another key). An encrypted package is checked against its SHA256SUMS; with --identity (an age identity of a recipient) its contents are checked too, in a temporary folder that is removed afterwards.

Works anywhere toezicht is installed: it reads no config and no register. Exit codes: 0 unchanged · 1 something changed (each change is named) · 2 not a package, or an unreadable key.`;

  static override examples = [
    { description: 'Check a package as its receiver', command: '<%= config.bin %> <%= command.id %> /media/usb/E-2026-0007' },
    { description: "Pin the school's published key", command: '<%= config.bin %> <%= command.id %> E-2026-0007 --public-key school-signing-key.pub.pem' },
    { description: 'An encrypted package', command: '<%= config.bin %> <%= command.id %> E-2026-0008 --identity ~/.age/politie.txt --json' },
  ];

  static override args = {
    package: Args.string({ description: 'The package folder (DIR/<export id>).', required: true }),
  };

  static override flags = {
    'public-key': Flags.string({ summary: "The school's public key (PEM) to check the signature with, instead of the one in the package." }),
    identity: Flags.string({ summary: 'age identity file, to check the contents of an encrypted package.' }),
  };

  public async run(): Promise<VerifyReport> {
    const report = await verifyPackage(this.args.package, {
      ...(this.flags['public-key'] ? { publicKey: this.flags['public-key'] } : {}),
      ...(this.flags.identity ? { identity: this.flags.identity } : {}),
    });
    if (!report.ok) this.setExitCode(ExitCode.failure);
    this.log(renderVerify(report));
    return report;
  }
}
