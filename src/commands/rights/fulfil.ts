import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { confirmIrreversible, yesFlag } from '../../cli/confirm.js';
import { formatBytes, plural } from '../../cli/format.js';
import { ProgressLine, showExportProgress } from '../../cli/progress.js';
import { renderFulfil, withRequestJson } from '../../cli/views/rights.js';
import { ExitCode } from '../../core/errors.js';
import type { ExportProgress, Language } from '../../core/evidence/index.js';
import { DECISIONS, fulfilRequest, previewFulfilment, type Decision, type FulfilInput } from '../../core/rights/index.js';
import { formatLocalShort } from '../../core/time/index.js';

export default class RightsFulfil extends BaseCommand<typeof RightsFulfil> {
  static override summary = 'Carry out a request: a copy with others made unrecognisable, a viewing, erasure, restriction or a decision.';

  static override description = `Needs the identity checked first (rights verify-identity). What happens depends on the request:

access / copy: the footage of its cameras and window is exported into a package (as footage export does: hashes, signed manifest, custody record; only users in access.export), kept while the request is open. Other people must be unrecognisable (AVG art. 15(4)): --plan-only makes a redaction review (plan and contact sheet per camera, kept under the request's hold and recorded in it); --keep-track ID then renders that review with the subject's track visible and everyone else redacted (or --plan DIR|FILE for a plan you edited). The requester gets only the redacted copy; the master stays in the package at school. --unredacted "<why>" when nobody else is recognisable. Or --viewing records that the requester viewed the footage at school instead of taking a copy.

erasure: the footage of the window is deleted (every segment that overlaps it), recorded like purge deletions. On a terminal it first shows what will be deleted and asks (default No); without a terminal --yes is required (exit 2 otherwise, nothing deleted). Another hold (an incident, another request, a restriction) or a legal duty (--legal-duty) blocks it: nothing is deleted, exit 2, and the answer letter will say why.

restriction: the footage is restricted (a hold of kind restriction): the purge keeps it and footage export refuses it without --override-restriction.

objection / rectification: --decision granted|rejected with --grounds; a granted objection erases the footage, as for erasure.`;

  static override examples = [
    { description: 'First the contact sheet, to find the subject', command: '<%= config.bin %> <%= command.id %> R-2026-0001 --plan-only' },
    { description: 'Then the copy, with everyone but track f3 redacted', command: '<%= config.bin %> <%= command.id %> R-2026-0001 --keep-track f3' },
    { description: 'Render a plan you edited', command: '<%= config.bin %> <%= command.id %> R-2026-0001 --plan exports/E-2026-0004-review --keep-track f3' },
    { description: 'Only the requester is in view', command: '<%= config.bin %> <%= command.id %> R-2026-0001 --unredacted "Alleen verzoeker in beeld, gecontroleerd door J. Bakker"' },
    { description: 'The parent came to look at school instead', command: '<%= config.bin %> <%= command.id %> R-2026-0001 --viewing --viewed-on 2026-11-03 --note "Bekeken met de teamleider"' },
    { description: 'Erase a teacher\'s recording (shows what will be deleted and asks)', command: '<%= config.bin %> <%= command.id %> R-2026-0002' },
    { description: 'The same from a script: no question, --yes says it', command: '<%= config.bin %> <%= command.id %> R-2026-0002 --yes' },
    { description: 'An objection, rejected', command: '<%= config.bin %> <%= command.id %> R-2026-0003 --decision rejected --grounds "Dwingende gerechtvaardigde gronden: lopend onderzoek naar diefstal."' },
  ];

  static override args = { id: Args.string({ description: 'Request id.', required: true }) };

  static override flags = {
    viewing: Flags.boolean({ summary: 'Access/copy: the requester viewed the footage at school instead of taking a copy.' }),
    'viewed-on': Flags.string({ summary: 'Day of the viewing (YYYY-MM-DD; default today).' }),
    note: Flags.string({ summary: 'A note on the viewing (who was present).' }),
    'plan-only': Flags.boolean({ summary: 'Access/copy: make the redaction plan and contact sheet only, to pick the subject’s track.' }),
    'keep-track': Flags.string({ summary: 'Access/copy: a track of the subject (from the contact sheet) that stays visible; repeatable.', multiple: true }),
    plan: Flags.string({ summary: 'Access/copy: a reviewed plan file or review folder to render (default: the request\'s last review).' }),
    unredacted: Flags.string({ summary: 'Access/copy: why no redaction is needed (nobody else is recognisable).' }),
    out: Flags.string({ summary: 'Folder for the package (default: exports.root).' }),
    'encrypt-to': Flags.string({ summary: 'Encrypt the package for this age recipient (age1…); repeatable; not with redaction (the package holds the master).', multiple: true }),
    'override-restriction': Flags.string({ summary: 'Export restricted footage after all, for this reason (recorded).' }),
    lang: Flags.string({ summary: 'Language of the custody record in the package.', options: ['nl', 'en'] }),
    'legal-duty': Flags.string({ summary: 'Erasure: refused, because a legal duty requires keeping the footage (say which).' }),
    decision: Flags.string({ summary: 'Objection or rectification: the decision.', options: [...DECISIONS] }),
    grounds: Flags.string({ summary: 'Objection or rectification: the grounds of the decision (in the letter).' }),
    progress: Flags.boolean({ summary: 'Print progress lines on stderr even without a terminal.' }),
    ...yesFlag,
  };

  public async run(): Promise<unknown> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const f = this.flags;
    const input: FulfilInput = {
      ...(f.viewing ? { viewing: { ...(f['viewed-on'] ? { on: f['viewed-on'] } : {}), ...(f.note ? { note: f.note } : {}) } } : {}),
      redaction: { planOnly: f['plan-only'], keepTracks: f['keep-track'] ?? [], ...(f.plan ? { plan: f.plan } : {}) },
      ...(f.unredacted !== undefined ? { unredacted: f.unredacted } : {}),
      ...(f.out ? { out: f.out } : {}),
      ...(f['encrypt-to'] ? { encryptTo: f['encrypt-to'] } : {}),
      ...(f['override-restriction'] ? { overrideRestriction: f['override-restriction'] } : {}),
      ...(f.lang ? { language: f.lang as Language } : {}),
      ...(f['legal-duty'] ? { legalDuty: f['legal-duty'] } : {}),
      ...(f.decision ? { decision: f.decision as Decision } : {}),
      ...(f.grounds ? { grounds: f.grounds } : {}),
    };
    const erasing = await previewFulfilment(config, register, this.args.id, input);
    if (erasing) {
      const tz = config.school.timezone;
      await confirmIrreversible(
        { interactive: this.interactive, yes: f.yes, command: `${this.config.bin} rights fulfil ${this.args.id} --yes` },
        {
          action: `delete ${plural(erasing.files, 'file')} (${formatBytes(erasing.bytes)}) of footage for request ${erasing.request}`,
          summary: [
            `window ${formatLocalShort(Date.parse(erasing.from), tz, true)} – ${formatLocalShort(Date.parse(erasing.to), tz, true)} (${tz})`,
            ...erasing.cameras.map((c) => `${c.camera}: ${plural(c.files, 'file')}, ${formatBytes(c.bytes)}`),
          ],
        },
      );
    }
    const progress = this.showProgress || f.progress ? new ProgressLine(this.showProgress) : undefined;
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      const result = await fulfilRequest(
        config,
        register,
        this.args.id,
        input,
        {
          now: Date.now(),
          toolVersion: this.config.version,
          signal: controller.signal,
          ...(progress ? { onProgress: (p: ExportProgress) => showExportProgress(progress, p) } : {}),
        },
      );
      progress?.done();
      this.log(renderFulfil(result));
      if (result.blocked) this.setExitCode(ExitCode.usage);
      return withRequestJson(result);
    } finally {
      progress?.done();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }
}
