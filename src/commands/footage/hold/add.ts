import { Flags } from '@oclif/core';
import { BaseCommand } from '../../../cli/base.js';
import { shown } from '../../../cli/format.js';
import { coverageLine, holdJson, legalHoldLine, renderHold, type HoldJson } from '../../../cli/views/holds.js';
import { addHold } from '../../../core/footage/index.js';
import type { HoldResult } from '../../../core/footage/index.js';

export default class HoldAdd extends BaseCommand<typeof HoldAdd> {
  static override summary = 'Keep footage of cameras in a time range past its retention, until the hold is released.';

  static override description = `While an incident is handled (seed 001 §1.4: footage may be kept longer for the handling of an incident, and is destroyed once it is closed), a hold stops the purge from deleting any segment of the named cameras that touches the range. In a board's config, --school holds every camera of that school, or, with --camera, refuses (exit 2) a camera that is not that school's. Where the footage is in an S3 bucket with Object Lock, every object version in the range also gets an S3 legal hold, so that no other tool can delete it either; legal holds someone else placed are reported and left alone. Prints the hold and what it keeps now (segments and bytes per camera), with a warning when the range was purged already, holds no footage, or an identical hold exists; without a terminal the id alone on stdout (the rest on stderr). Times without an offset are school time; a date alone means the whole day.`;

  static override examples = [
    {
      description: 'Theft in the main hall on the morning of 20 October',
      command: '<%= config.bin %> <%= command.id %> --camera entree --camera aula --from 2026-10-20T07:30 --to 2026-10-20T09:00 --case "Incident 2026-14" --reason "Diefstal fiets, aangifte gedaan"',
    },
    { description: "A board's config: every camera of one school", command: '<%= config.bin %> <%= command.id %> --school klimop --from 2026-10-20 --to 2026-10-20 --case I-9 --reason "Inbraak"' },
    { description: "A board's config: refuse a camera that is not this school's (exit 2)", command: '<%= config.bin %> <%= command.id %> --school klimop --camera entree --from 2026-10-20T07:30 --to 2026-10-20T09:00 --case I-9 --reason "Inbraak"' },
    { description: 'A whole day, printing only the id for a script', command: 'HOLD=$(<%= config.bin %> <%= command.id %> --camera entree --from 2026-10-20 --to 2026-10-20 --case I-7 --reason Vandalisme --json | jq -r .id)' },
  ];

  static override flags = {
    camera: Flags.string({ summary: 'Camera id (repeatable); required unless --school is given.', multiple: true }),
    school: Flags.string({ summary: "A board's config: this school's cameras; without --camera all of them (repeatable).", multiple: true }),
    from: Flags.string({ summary: 'Start of the range (ISO 8601; school time without an offset).', required: true }),
    to: Flags.string({ summary: 'End of the range (a date alone means the end of that day).', required: true }),
    case: Flags.string({ summary: 'The incident or request this hold is for.', required: true }),
    reason: Flags.string({ summary: 'Why the footage must be kept.', required: true }),
  };

  public async run(): Promise<HoldJson<HoldResult>> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const hold = await addHold(config, register, {
      cameras: this.flags.camera ?? [],
      ...(this.flags.school ? { schools: this.flags.school } : {}),
      from: this.flags.from,
      to: this.flags.to,
      caseRef: this.flags.case,
      reason: this.flags.reason,
    });
    if (process.stdout.isTTY) this.log(renderHold(hold, config.school.timezone));
    else {
      // A script reads the id from stdout; the person reading the log sees what it keeps.
      this.log(hold.id);
      if (hold.coverage && !this.jsonEnabled()) this.note(`${hold.id} keeps ${coverageLine(hold.coverage)}`);
    }
    for (const o of hold.objectLock ?? []) if (o.errors.length || o.foreign) this.note(`${o.storage}: ${legalHoldLine(o)}`);
    for (const p of hold.storageProblems ?? []) this.note(`warning: ${p}`);
    if (!this.jsonEnabled()) for (const w of hold.coverage?.warnings ?? []) this.note(`warning: ${shown(w)}`);
    return holdJson(hold);
  }
}
