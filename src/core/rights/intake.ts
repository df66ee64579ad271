// Receiving a data-subject request (LEGAL checklist C 1–5): what it is, who asks for whom, which cameras and
// window; its deadline; and at once a hold on that footage (the Irish DPC case: a 30-day loop must not overwrite
// footage under request). Under 16, the rights are the parent's or guardian's (LEGAL §4, UAVG art. 5).
import type { Config } from '../config/index.js';
import { RefusalError, UsageError } from '../errors.js';
import { parseRange, recordHoldAtStorages, requireCameras, storageViews } from '../footage/index.js';
import {
  RIGHTS_RELATIONS,
  RIGHTS_TYPES,
  type AuditEntry,
  type Hold,
  type RangeDeletion,
  type Register,
  type RightsRelation,
  type RightsRequest,
  type RightsType,
} from '../register/index.js';
import { findSegments } from '../storage/index.js';
import { ageOn, localDate, parseDate, parseInstant } from '../time/index.js';
import { dueDate } from './deadline.js';
import { letterDigest, writeRightsLetter, type LetterOptions, type WrittenLetter } from './letters.js';

/** A request as typed (flags or answers); what is missing is asked for or named. */
export interface RightsRequestInput {
  type?: string;
  requester?: string;
  relation?: string;
  subject?: string;
  subjectBirthdate?: string;
  cameras?: string[];
  from?: string;
  to?: string;
  description?: string;
  /** Day of receipt (YYYY-MM-DD, or a date-time in school time); default today. */
  received?: string;
}

export type RequestField = 'type' | 'requester' | 'relation' | 'subject' | 'subjectBirthdate' | 'cameras' | 'from' | 'to';

/** The flag that gives each field. */
export const REQUEST_FLAGS: Record<RequestField, string> = {
  type: '--type',
  requester: '--requester',
  relation: '--relation',
  subject: '--subject',
  subjectBirthdate: '--subject-birthdate',
  cameras: '--camera',
  from: '--from',
  to: '--to',
};

const blank = (v: string | undefined): boolean => v === undefined || !v.trim();

/**
 * What a request still lacks, in the order a person would be asked. The subject is the requester when they ask for
 * themselves; a parent or guardian must give the child's birth date (under 16 they exercise the child's rights, from
 * 16 the pupil does).
 */
export function missingRequestFields(input: RightsRequestInput): RequestField[] {
  const missing: RequestField[] = [];
  if (blank(input.type)) missing.push('type');
  if (blank(input.requester)) missing.push('requester');
  if (blank(input.relation)) missing.push('relation');
  if (input.relation !== 'self' && blank(input.subject)) missing.push('subject');
  if ((input.relation === 'parent' || input.relation === 'guardian') && blank(input.subjectBirthdate)) missing.push('subjectBirthdate');
  if (!input.cameras?.length) missing.push('cameras');
  if (blank(input.from)) missing.push('from');
  if (blank(input.to)) missing.push('to');
  return missing;
}

export interface FootageFound {
  camera: string;
  segments: number;
  /** What purge runs had already deleted of this camera in the window. */
  deleted: RangeDeletion[];
}

export interface RequestResult {
  request: RightsRequest;
  hold: Hold | null;
  /** Segments in the window per camera when the request came in. */
  footage: FootageFound[];
  /** Age of the subject on the day of receipt, when the birth date is known. */
  subjectAge: number | null;
  /** The receipt letter (ontvangstbevestiging). */
  letters: WrittenLetter[];
  warnings: string[];
  auditSeq: number;
}

function oneOf<T extends string>(value: string, list: readonly T[], flag: string): T {
  if ((list as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`rights.${flag}`, `--${flag} "${value}" is not one of ${list.join(', ')}.`);
}

/** The day of receipt in school time; never in the future. */
export function receivedDay(text: string | undefined, timeZone: string, now: number): string {
  const today = localDate(now, timeZone);
  if (text === undefined || !text.trim()) return today;
  const ms = parseInstant(text, timeZone);
  if (ms === undefined) throw new UsageError('rights.received', `--received "${text}" is not a date; use YYYY-MM-DD, e.g. ${today}.`);
  const day = localDate(ms, timeZone);
  if (day > today) throw new UsageError('rights.received', `--received ${text} is in the future; give the day the request reached the school.`);
  return day;
}

/** Which segments each camera has in the window, and what of it purge runs deleted before. */
export async function footageInWindow(config: Config, register: Register, cameras: string[], range: { from: number; to: number }): Promise<FootageFound[]> {
  const views = storageViews(config);
  const out: FootageFound[] = [];
  for (const id of cameras) {
    const camera = config.cameras.find((c) => c.id === id)!;
    const view = camera.storage ? views.find((v) => v.id === camera.storage) : undefined;
    let segments = 0;
    if (view && (await view.store.check()).ok) {
      segments = (await findSegments(view, camera.path, range.from, range.to)).segments.filter((s) => s.start < range.to && s.end > range.from).length;
    }
    out.push({ camera: id, segments, deleted: await register.deletionsInRange(id, range.from, range.to) });
  }
  return out;
}

/** The subject's age on the day of receipt; refuses a date off the calendar, and a subject under 16 whose request
 * is not made by a parent or guardian (UAVG art. 5). */
function subjectAgeOn(birthdate: string, receivedOn: string, relation: string, subject: string): number {
  if (!parseDate(birthdate)) throw new UsageError('rights.subject-birthdate', `--subject-birthdate "${birthdate}" is not a date; use YYYY-MM-DD.`);
  if (birthdate > receivedOn) throw new UsageError('rights.subject-birthdate', `--subject-birthdate ${birthdate} is after the day of receipt (${receivedOn}).`);
  const age = ageOn(birthdate, receivedOn);
  if (age < 16 && relation !== 'parent' && relation !== 'guardian') {
    throw new RefusalError(
      'rights.under-16',
      `${subject} was ${age} on the day of receipt: under 16 a parent with parental authority (gezag) or a guardian exercises the child's rights (UAVG art. 5; LEGAL §4), so nothing was registered. Register it with the parent or guardian as --requester and --relation parent or guardian.`,
    );
  }
  return age;
}

/**
 * The problem with one answer, given the answers so far (the same rules as registerRequest), or undefined when it
 * is fine: a terminal asks each question again until its answer passes, instead of failing after the last one.
 */
export function checkRequestAnswer(config: Config, field: RequestField | 'received', answers: RightsRequestInput, now: number): string | undefined {
  const tz = config.school.timezone;
  try {
    switch (field) {
      case 'type':
        if (!blank(answers.type)) oneOf(answers.type!.trim(), RIGHTS_TYPES, 'type');
        return undefined;
      case 'relation':
        if (!blank(answers.relation)) oneOf(answers.relation!.trim(), RIGHTS_RELATIONS, 'relation');
        return undefined;
      case 'requester':
      case 'subject':
        return blank(answers[field]) ? 'required' : undefined;
      case 'cameras':
        if (answers.cameras?.length) requireCameras(config, [...new Set(answers.cameras)]);
        return undefined;
      case 'received':
        receivedDay(answers.received, tz, now);
        return undefined;
      case 'subjectBirthdate': {
        if (blank(answers.subjectBirthdate)) return answers.relation === 'parent' || answers.relation === 'guardian' ? 'required for a parent or guardian (YYYY-MM-DD)' : undefined;
        const birthdate = answers.subjectBirthdate!.trim();
        if (!/^\d{4}-\d{2}-\d{2}$/.test(birthdate) || !parseDate(birthdate)) return `"${birthdate}" is not a date on the calendar; use YYYY-MM-DD`;
        const receivedOn = receivedDay(answers.received, tz, now);
        if (birthdate > receivedOn) return `${birthdate} is after the day of receipt (${receivedOn})`;
        const age = ageOn(birthdate, receivedOn);
        if (age < 16 && answers.relation && answers.relation !== 'parent' && answers.relation !== 'guardian') {
          return `the subject was ${age} on the day of receipt: under 16 a parent or guardian must make the request (UAVG art. 5)`;
        }
        return undefined;
      }
      case 'from':
        if (!blank(answers.from) && parseInstant(answers.from!.trim(), tz) === undefined) return `"${answers.from}" is not a date or time; e.g. 2026-10-20T08:00 (school time)`;
        return undefined;
      case 'to':
        if (blank(answers.to)) return undefined;
        if (blank(answers.from)) return parseInstant(answers.to!.trim(), tz) === undefined ? `"${answers.to}" is not a date or time; e.g. 2026-10-20T08:30` : undefined;
        parseRange(config, answers.from!.trim(), answers.to!.trim());
        return undefined;
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof RefusalError) return error.message.replace(/\.$/, '');
    throw error;
  }
}

/** The answers given so far (flags, a file of kept answers), each checked before anything is asked: the same
 * errors registerRequest would give after the questions. */
export function checkRequestInput(config: Config, input: RightsRequestInput, now: number): void {
  const tz = config.school.timezone;
  if (!blank(input.type)) oneOf(input.type!.trim(), RIGHTS_TYPES, 'type');
  if (!blank(input.relation)) oneOf(input.relation!.trim(), RIGHTS_RELATIONS, 'relation');
  const receivedOn = receivedDay(input.received, tz, now);
  if (input.cameras?.length) requireCameras(config, [...new Set(input.cameras)]);
  if (!blank(input.subjectBirthdate) && !blank(input.relation)) {
    const subject = blank(input.subject) ? (input.requester ?? 'The subject') : input.subject!;
    subjectAgeOn(input.subjectBirthdate!.trim(), receivedOn, input.relation!.trim(), subject.trim());
  }
  if (!blank(input.from) && !blank(input.to)) parseRange(config, input.from!, input.to!);
  else {
    for (const [flag, value] of [['from', input.from], ['to', input.to]] as const) {
      if (!blank(value) && parseInstant(value!.trim(), tz) === undefined) throw new UsageError(`range.${flag}`, `--${flag} "${value}" is not a date or time; use ISO 8601, e.g. 2026-10-20T08:00 (school time) or 2026-10-20T06:00Z.`);
    }
  }
}

export async function registerRequest(config: Config, register: Register, input: RightsRequestInput, options: { now: number; letters?: LetterOptions }): Promise<RequestResult> {
  const missing = missingRequestFields(input);
  if (missing.length) {
    throw new UsageError('rights.missing', `The request lacks ${missing.map((f) => REQUEST_FLAGS[f]).join(', ')}; give ${missing.length === 1 ? 'it' : 'them'} (without a terminal nothing is asked).`);
  }
  const tz = config.school.timezone;
  const type = oneOf<RightsType>(input.type!.trim(), RIGHTS_TYPES, 'type');
  const relation = oneOf<RightsRelation>(input.relation!.trim(), RIGHTS_RELATIONS, 'relation');
  const requester = input.requester!.trim();
  const subject = relation === 'self' ? (blank(input.subject) ? requester : input.subject!.trim()) : input.subject!.trim();
  const cameras = [...new Set(input.cameras!)];
  requireCameras(config, cameras);
  const range = parseRange(config, input.from!, input.to!);
  const receivedOn = receivedDay(input.received, tz, options.now);
  const warnings: string[] = [];

  let subjectAge: number | null = null;
  let birthdate: string | undefined;
  if (!blank(input.subjectBirthdate)) {
    birthdate = input.subjectBirthdate!.trim();
    subjectAge = subjectAgeOn(birthdate, receivedOn, relation, subject);
    if (subjectAge >= 16 && (relation === 'parent' || relation === 'guardian')) {
      warnings.push(`${subject} was ${subjectAge} on the day of receipt: from 16 a pupil exercises their own rights, so the ${relation} needs the pupil's written authorisation (check it with the identity).`);
    }
  }

  const footage = await footageInWindow(config, register, cameras, range);
  for (const f of footage) {
    if (f.segments) continue;
    const last = f.deleted.at(-1);
    warnings.push(
      last
        ? `camera ${f.camera} has no footage of the window any more: purge run ${last.runId} deleted it on ${last.deletedAt.slice(0, 10)}; if nothing else holds it, answer with \`toezicht rights close … --outcome no-data\`.`
        : `camera ${f.camera} has no footage of the window; check the cameras and times with the requester.`,
    );
  }

  const dueOn = dueDate(receivedOn);
  const { request, hold, entry } = await register.addRightsRequest({
    type,
    requester,
    relation,
    subject,
    ...(birthdate ? { subjectBirthdate: birthdate } : {}),
    cameras,
    from: range.from,
    to: range.to,
    ...(blank(input.description) ? {} : { description: input.description!.trim() }),
    receivedOn,
    dueOn,
    hold: { reason: `Verzoek van een betrokkene (${type}): beelden bewaren tot het verzoek is afgehandeld`, cameras, from: range.from, to: range.to },
    // Names stay out of the audit chain (it can never be edited): the request row holds them.
    audit: {
      type,
      relation,
      cameras,
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
      receivedOn,
      dueOn,
      ...(subjectAge !== null ? { subjectUnder16: subjectAge < 16 } : {}),
      footageSegments: footage.reduce((n, f) => n + f.segments, 0),
    },
  });
  // Beside the footage at once: a register lost before the next purge must not take this hold with it.
  if (hold) warnings.push(...(await recordHoldAtStorages(config, register, hold)));
  let letters: WrittenLetter[] = [];
  if (options.letters) {
    // The request and its hold stand once registered; the letter follows (a failure here is reported, nothing is lost).
    letters = await writeRightsLetter(config, request, 'receipt', {}, options.letters);
    await register.recordRightsStep(request.id, { action: 'rights.letter', details: { letter: 'receipt', letters: letterDigest(letters) } });
  }
  return { request, hold: hold ?? null, footage, subjectAge, letters, warnings, auditSeq: (entry as AuditEntry).seq };
}
