import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { ProgressLine, showExportProgress } from '../../cli/progress.js';
import { renderExport, renderReview } from '../../cli/views/export.js';
import { holdJson } from '../../cli/views/holds.js';
import { UsageError } from '../../core/errors.js';
import { exportFootage, reviewRedaction, type ExportProgress, type ExportRequest, type ExportResult, type Language, type OnCorrupt, type ReviewResult } from '../../core/evidence/index.js';

export default class FootageExport extends BaseCommand<typeof FootageExport> {
  static override summary = 'Export an evidence clip: cameras and minutes, with hashes, a signed manifest, a custody record and a hold.';

  static override description = `Finds the segments of each camera that cover the range, joins and cuts them with ffmpeg without re-encoding (the master stays in the camera's own codec, cut at keyframes, so it covers at least the range), and writes a package in DIR/<export id>/: one clip per camera (<camera>_<start>.mp4), manifest.json with the hash of every source and file, its Ed25519 signature with the school's key (toezicht keys init), the public key, SHA256SUMS (sha256sum -c works) and a custody record in Dutch (proces-verbaal.txt) that says how to check it with standard tools.

With --case the footage on the recorder is put under a hold before it is copied, so it outlives the 4-week purge until the case is closed (unless --no-hold). Every export is an entry in the audit chain. The package is a copy of personal data with a lifetime: until its case's hold is released, or the camera's retention without a case, or --keep-until; footage purge removes expired packages under exports.root.

--reason is required (an export is a disclosure: the custody record, the manifest and the audit chain say why). --recipient and --legal-basis are asked on a terminal when left out, and without one a warning says the custody record will read "(niet opgegeven)".

Only the OS users in access.export may export (seed 001 §1.2); anyone else is refused and the attempt is recorded. Nothing half-written is ever left: the package is written in a hidden folder beside it and renamed into place. Times without an offset are school time. In a board's config, --school refuses (exit 2) a camera of another school, and the audit entry names the schools of the exported cameras.

With --redact the package also holds a redacted working copy of every clip beside its master (<camera>_<start>.redacted.mp4): faces — with --redact-what persons whole persons — are found by a model that runs here (no network), followed from frame to frame, and made irreversibly unrecognisable in every frame (--style pixelate: a mosaic of blocks at least 1/8 of the face's height; fill: solid black; never blur), together with the camera's static privacy masks (cameras[].masks). The copy is re-encoded (H.264), keeps every frame, and has no audio unless --keep-audio. The plan it was rendered from goes beside it; the manifest, SHA256SUMS, the signature and the custody record cover both, and say that the copy is not the master (the master is never transcoded).

To review first: --plan-only writes, per camera, the plan and a contact sheet (one thumbnail per track, with its id) to DIR/<id>-review/ — no package, nothing handed out; the footage is put under the case's hold at once; the review is in the audit chain and is removed by footage purge when a package of the same footage would be. Edit the plan if needed (remove a track, add a box), then render it with --plan <review folder or plan file>, and leave the requester's own child visible with --keep-track ID (CAMERA:ID with several cameras). The contact sheet shows the faces unredacted: it is for the operator only.

Exit codes: 0 written · 1 failed (a damaged segment with --on-corrupt fail, ffmpeg) · 2 bad input, no footage in the range (the nearest footage is named), an existing package without --force, or a refusal.`;

  static override examples = [
    {
      description: 'Theft at the main entrance, for the police',
      command:
        '<%= config.bin %> <%= command.id %> --camera entree --from 2026-10-20T08:00 --to 2026-10-20T08:20 --case "Incident 2026-14" --reason "Diefstal fiets, aangifte" --legal-basis "art. 6(1)(f) AVG" --recipient "Politie Zaandam, brigadier De Vries" --out /media/usb',
    },
    { description: 'Two cameras in one package, encrypted for the police officer', command: '<%= config.bin %> <%= command.id %> --camera entree --camera aula --from 2026-10-20T08:00 --to 2026-10-20T08:20 --case I-14 --reason Vandalisme --encrypt-to age1… --out /srv/exports' },
    { description: "A board's config: refuse (exit 2) any camera that is not this school's", command: '<%= config.bin %> <%= command.id %> --school klimop --camera klimop-entree --from 2026-10-20T08:00 --to 2026-10-20T08:20 --case I-16 --reason Diefstal' },
    { description: 'Skip a damaged segment (its minutes become a gap in the manifest)', command: '<%= config.bin %> <%= command.id %> --camera gang --from 2026-10-21T12:00 --to 2026-10-21T12:30 --on-corrupt skip --no-hold --reason "Controle na melding" --out .' },
    { description: 'With a redacted copy for the police: bystanders\' faces as a mosaic', command: '<%= config.bin %> <%= command.id %> --camera gang --from 2026-10-21T12:00 --to 2026-10-21T12:05 --case I-15 --reason Vechtpartij --redact --out /media/usb' },
    {
      description: 'Access request, step 1: plan and contact sheet for review (no package yet; the footage is held)',
      command: '<%= config.bin %> <%= command.id %> --camera gang --from 2026-10-21T12:00 --to 2026-10-21T12:05 --case V-2026-03 --reason "Inzageverzoek ouder" --redact --redact-what faces,persons --plan-only',
    },
    {
      description: 'Access request, step 2: render the reviewed plan, the requester\'s child (track f3) left visible, solid fill',
      command: '<%= config.bin %> <%= command.id %> --camera gang --from 2026-10-21T12:00 --to 2026-10-21T12:05 --case V-2026-03 --reason "Inzageverzoek ouder" --redact --plan exports/E-2026-0009-review --keep-track f3 --style fill --recipient "ouder van de leerling"',
    },
  ];

  static override flags = {
    camera: Flags.string({ summary: 'Camera id (repeatable: one clip per camera, one package).', multiple: true, required: true }),
    school: Flags.string({ summary: "A board's config: every --camera must be this school's (repeatable).", multiple: true }),
    from: Flags.string({ summary: 'Start of the range (ISO 8601; school time without an offset).', required: true }),
    to: Flags.string({ summary: 'End of the range.', required: true }),
    out: Flags.string({ summary: 'Folder for the package (default: exports.root from the config).' }),
    case: Flags.string({ summary: 'The incident or case; places a hold on the footage (see --no-hold).' }),
    reason: Flags.string({ summary: 'Why the footage is exported (in the manifest, custody record and audit chain).', required: true }),
    'legal-basis': Flags.string({ summary: 'Legal basis of this disclosure, e.g. "art. 6(1)(f) AVG" or "vordering OvJ, art. 126nd Sv" (asked on a terminal when left out).' }),
    recipient: Flags.string({ summary: 'Who receives it (person and organisation; asked on a terminal when left out).' }),
    'keep-until': Flags.string({ summary: 'Remove the package after this date (default: when the case is closed, or the camera retention).' }),
    hold: Flags.boolean({ summary: 'Place a hold on the exported footage when there is a --case (default; --no-hold to skip).', allowNo: true, default: true }),
    'keep-audio': Flags.boolean({ summary: 'Keep the audio track (left out by default: voices identify people too).' }),
    'encrypt-to': Flags.string({ summary: 'Encrypt the package for this age recipient (age1…); repeatable. Nothing unencrypted stays.', multiple: true }),
    'on-corrupt': Flags.string({ summary: 'A damaged segment: fail the export, or skip it (a gap in the manifest).', options: ['fail', 'skip'], default: 'fail' }),
    'clock-offset': Flags.string({ summary: "Recorder clock minus true time in seconds, if you measured it (e.g. 2.5 or -1)." }),
    lang: Flags.string({ summary: 'Language of the custody record.', options: ['nl', 'en'], default: 'nl' }),
    force: Flags.boolean({ summary: 'Replace a package folder of the same id that already exists.' }),
    'override-restriction': Flags.string({ summary: 'Export footage under a restriction (AVG art. 18) after all, for this reason (consent of the data subject, a legal claim); recorded.' }),
    progress: Flags.boolean({ summary: 'Print progress lines on stderr even without a terminal.' }),
    redact: Flags.boolean({ summary: 'Also make a redacted working copy of every clip, beside its master: bystanders unrecognisable in every frame.' }),
    'redact-what': Flags.string({ summary: 'What to make unrecognisable: faces, persons, or faces,persons (default faces).', dependsOn: ['redact'], exclusive: ['plan'] }),
    style: Flags.string({ summary: 'pixelate (a mosaic of blocks ≥ 1/8 of the face height) or fill (solid black). Never blur.', options: ['pixelate', 'fill'], dependsOn: ['redact'] }),
    'plan-only': Flags.boolean({ summary: 'Write the plan and a contact sheet per camera for review (DIR/<id>-review/), render nothing, make no package.', dependsOn: ['redact'], exclusive: ['plan', 'keep-track', 'encrypt-to'] }),
    plan: Flags.string({ summary: 'Render a reviewed (possibly edited) plan: the review folder, or a plan file per camera (repeatable).', multiple: true, dependsOn: ['redact'] }),
    'keep-track': Flags.string({ summary: 'Leave this track of the plan visible (the requester\'s own child); CAMERA:ID with several cameras. Repeatable; needs --plan.', multiple: true, dependsOn: ['plan'] }),
  };

  public async run(): Promise<unknown> {
    const flags = this.flags;
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    let clockOffsetSeconds: number | undefined;
    if (flags['clock-offset'] !== undefined) {
      clockOffsetSeconds = Number(flags['clock-offset']);
      if (!Number.isFinite(clockOffsetSeconds)) throw new UsageError('flag.clock-offset', `--clock-offset "${flags['clock-offset']}" is not a number of seconds, e.g. 2.5 or -1.`);
    }
    const disclosure = flags['plan-only'] ? {} : await this.askDisclosure();
    const showProgress = this.showProgress || flags.progress;
    const progress = showProgress ? new ProgressLine(this.showProgress) : undefined;
    const controller = new AbortController();
    // `on`, not `once`: execa's exit handler re-raises a signal when it sees no other listener left.
    const stop = (): void => controller.abort();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      const request: ExportRequest = {
        cameras: flags.camera,
        ...(flags.school ? { schools: flags.school } : {}),
        from: flags.from,
        to: flags.to,
        ...(flags.out !== undefined ? { out: flags.out } : {}),
        ...(flags.case !== undefined ? { caseRef: flags.case } : {}),
        ...(flags.reason !== undefined ? { reason: flags.reason } : {}),
        ...(flags['legal-basis'] !== undefined ? { legalBasis: flags['legal-basis'] } : {}),
        ...(flags.recipient !== undefined ? { recipient: flags.recipient } : {}),
        ...disclosure,
        ...(flags['keep-until'] !== undefined ? { keepUntil: flags['keep-until'] } : {}),
        hold: flags.hold,
        keepAudio: flags['keep-audio'],
        encryptTo: flags['encrypt-to'] ?? [],
        force: flags.force,
        onCorrupt: flags['on-corrupt'] as OnCorrupt,
        ...(clockOffsetSeconds !== undefined ? { clockOffsetSeconds } : {}),
        language: flags.lang as Language,
        ...(flags['override-restriction'] !== undefined ? { overrideRestriction: flags['override-restriction'] } : {}),
        ...(flags.redact
          ? {
              redact: {
                ...(flags['redact-what'] !== undefined ? { what: flags['redact-what'] } : {}),
                ...(flags.style !== undefined ? { style: flags.style } : {}),
                ...(flags.plan ? { plans: flags.plan } : {}),
                ...(flags['keep-track'] ? { keepTracks: flags['keep-track'] } : {}),
              },
            }
          : {}),
      };
      const options = {
        now: Date.now(),
        toolVersion: this.config.version,
        signal: controller.signal,
        ...(progress ? { onProgress: (p: ExportProgress) => showExportProgress(progress, p, flags['redact-what'] ?? 'faces') } : {}),
      };
      if (flags['plan-only']) {
        const review = await reviewRedaction(config, register, request, options);
        progress?.done();
        this.log(renderReview(review, config.school.timezone));
        return { ...review, hold: review.hold && holdJson(review.hold) };
      }
      const result = await exportFootage(config, register, request, options);
      progress?.done();
      const ff = result.manifest.tool.ffmpeg;
      if (flags.verbose) this.note(ff ? `ffmpeg ${ff.version}: ${ff.path} (${ff.source})` : 'clips written by toezicht (frames copied as they are; ffmpeg not needed)');
      this.log(renderExport(result, config.school.timezone));
      return { ...result, hold: result.hold && holdJson(result.hold) };
    } finally {
      progress?.done();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }

  /** Who receives the package and on what legal basis: asked on a terminal when not given, a warning without one. */
  private async askDisclosure(): Promise<{ recipient?: string; legalBasis?: string }> {
    const missing = [
      ...(this.flags.recipient === undefined ? [['recipient', '--recipient', 'Who receives it (person and organisation)?'] as const] : []),
      ...(this.flags['legal-basis'] === undefined ? [['legalBasis', '--legal-basis', 'On what legal basis (e.g. art. 6(1)(f) AVG, vordering OvJ)?'] as const] : []),
    ];
    if (!missing.length) return {};
    if (!this.interactive) {
      if (!this.jsonEnabled()) this.note(`warning: no ${missing.map((m) => m[1]).join(' or ')}: the custody record will say "(niet opgegeven)"; name ${missing.length > 1 ? 'them' : 'it'} for a disclosure.`);
      return {};
    }
    const { input } = await import('@inquirer/prompts');
    const answers: { recipient?: string; legalBasis?: string } = {};
    for (const [key, , message] of missing) {
      const answer = (await input({ message: `${message} (Enter: not given)` }, { output: process.stderr })).trim();
      if (answer) answers[key] = answer;
    }
    return answers;
  }
}
