// Human views of data-subject requests: one request, the list with its deadlines, the year report.
import path from 'node:path';
import type { AuditEntry } from '../../core/register/index.js';
import type { CloseResult, ExtendResult, FulfilResult, IdentityResult, ListedRequest, RequestDetails, RequestListing, RequestResult, Urgency, WrittenLetter, YearReport } from '../../core/rights/index.js';
import { formatLocalShort } from '../../core/time/index.js';
import { colour, fields, plural, shown, table, terminalWidth, wrap } from '../format.js';
import { detailFields } from './audit.js';

const paintDays = (days: number | null, u: Urgency | null): string => {
  if (days === null || u === null) return '';
  const text = days < 0 ? `${-days} overdue` : days === 0 ? 'today' : `${days}`;
  return u === 'red' ? colour.red.bold(text) : u === 'amber' ? colour.yellow(text) : colour.green(text);
};

/** A request in --json: its window as ISO 8601 instants, like every other time in the JSON output. */
export function requestJson<R extends { from?: number; to?: number }>(q: R): Omit<R, 'from' | 'to'> & { from?: string; to?: string } {
  return { ...q, ...(q.from !== undefined ? { from: new Date(q.from).toISOString() } : {}), ...(q.to !== undefined ? { to: new Date(q.to).toISOString() } : {}) };
}

/** A command's result with its request in the JSON shape. */
export function withRequestJson<T extends { request: { from?: number; to?: number } }>(result: T): Omit<T, 'request'> & { request: ReturnType<typeof requestJson<T['request']>> } {
  return { ...result, request: requestJson(result.request) };
}

const warn = (warnings: string[]): string[] => warnings.map((w) => colour.yellow(`warning: ${shown(w)}`));

function letters(files: WrittenLetter[]): string[] {
  const rel = (f: string): string => path.relative(process.cwd(), f) || f;
  return files.length ? [`  letter    ${rel(files[0]!.file)}`, ...files.slice(1).map((f) => `            ${rel(f.file)}`)] : [];
}

export function renderRequest(r: RequestResult, timeZone: string): string {
  const q = r.request;
  const lines = [
    `${colour.bold(`Request ${q.id}`)} (${q.type}) registered, received ${q.receivedOn}`,
    `  from      ${shown(q.requester)} (${q.relation}${q.subject !== q.requester ? ` of ${shown(q.subject)}` : ''}${r.subjectAge !== null ? `, ${r.subjectAge} at receipt` : ''})`,
    `  footage   ${q.cameras.join(', ')}  ${formatLocalShort(q.from!, timeZone, true)} – ${formatLocalShort(q.to!, timeZone, true)} ${colour.dim(`(${timeZone})`)}: ${r.footage.map((f) => `${f.camera} ${plural(f.segments, 'segment')}`).join(', ')}`,
    `  deadline  ${colour.bold(q.dueOn)} (one month; extend with toezicht rights extend ${q.id} --reason … before then)`,
    r.hold ? `  hold      ${r.hold.id} keeps this footage until the request is closed` : '',
    ...letters(r.letters),
    colour.dim(`  next      toezicht rights verify-identity ${q.id} --method "…"`),
    ...warn(r.warnings),
  ];
  return lines.filter(Boolean).join('\n');
}

export function renderList(l: RequestListing): string {
  if (!l.requests.length) return 'No requests.';
  return table(
    ['request', 'type', 'state', 'requester', 'received', 'due', 'days left', 'outcome'],
    l.requests.map((r: ListedRequest) => [
      r.id,
      r.type,
      r.stateLabel,
      shown(r.requester),
      r.receivedOn,
      `${r.dueOn}${r.extended ? '*' : ''}`,
      paintDays(r.daysLeft, r.urgency),
      r.outcome ? `${r.outcome}${r.onTime === false ? colour.red(' (late)') : ''}` : '',
    ]),
  ) + (l.requests.some((r) => r.extended) ? colour.dim('\n* extended') : '');
}

/** One step of a request's history: its head line, then its details as fields within the terminal's width. */
function describe(e: AuditEntry, timeZone: string): string {
  const head = `  ${formatLocalShort(Date.parse(e.at), timeZone)}  ${e.action.padEnd(20)} ${shown(e.actor.user)}`;
  const body = detailFields(e.details, ['requestId', 'letters', 'type', 'digest']);
  return body.length ? `${head}\n${colour.dim(fields(body, { indent: 6 }))}` : head;
}

/** "  label     value", the value wrapped under its start within the terminal's width (user text shown safely). */
function labelled(label: string, value: string): string {
  const head = `  ${label.padEnd(9)} `;
  const [first = '', ...rest] = wrap(value, Math.max(20, terminalWidth() - head.length));
  return [head + first, ...rest.map((l) => ' '.repeat(head.length) + l)].join('\n');
}

export function renderDetails(d: RequestDetails, timeZone: string): string {
  const q = d.request;
  const l = d.listed;
  const lines = [
    `${colour.bold(q.id)}  ${q.type}  ${l.stateLabel}${q.outcome ? ` · ${q.outcome}${l.onTime === false ? colour.red(' (late)') : ''}` : ''}`,
    `  requester ${shown(q.requester)} (${q.relation})${q.subject !== q.requester ? `  subject ${shown(q.subject)}${q.subjectBirthdate ? ` (born ${q.subjectBirthdate})` : ''}` : ''}`,
    `  footage   ${q.cameras.join(', ')}  ${q.from !== undefined ? `${formatLocalShort(q.from, timeZone)} – ${formatLocalShort(q.to!, timeZone)}` : ''}`,
    q.description ? labelled('asked', shown(q.description)) : '',
    labelled('deadline', `${l.dueOn}${l.extended ? ` (extended from ${q.dueOn}: ${shown(q.extensionReason)})` : ''}${l.daysLeft !== null ? `, ${paintDays(l.daysLeft, l.urgency)} days left` : ''}`),
    q.identityMethod ? labelled('identity', shown(q.identityMethod)) : '',
    ...d.holds.map((h) => `  hold      ${h.id} (${h.kind}) ${h.releasedAt ? colour.dim(`released ${h.releasedAt.slice(0, 10)}`) : colour.green('active')}`),
    '',
    ...d.milestones.map((m) => `  ${m.on ? colour.green('✓') : colour.dim('·')} ${m.milestone.padEnd(17)} ${m.on ?? ''}`),
    '',
    colour.bold('History'),
    ...d.history.map((e) => describe(e, timeZone)),
  ];
  return lines.filter((x, i, all) => x !== '' || (i > 0 && all[i - 1] !== '')).join('\n');
}

export function renderIdentity(r: IdentityResult): string {
  return [`${colour.bold(r.request.id)}: identity checked (${shown(r.request.identityMethod)})`, ...warn(r.warnings)].join('\n');
}

export function renderExtend(r: ExtendResult): string {
  return [`${colour.bold(r.request.id)}: deadline extended from ${r.request.dueOn} to ${colour.bold(r.request.extendedDueOn!)}`, ...letters(r.letters)].join('\n');
}

export function renderFulfil(r: FulfilResult): string {
  const f = r.fulfilment;
  const id = colour.bold(r.request.id);
  let head: string;
  switch (r.action) {
    case 'export': {
      head = `${id}: footage exported for the requester in ${String(f.packageDir)} (${String(f.exportId)}${f.unredacted ? ', not redacted: ' + shown(String(f.unredacted)) : ', everyone but the kept tracks redacted'})`;
      const files = (f.handOver as string[] | undefined) ?? [];
      if (!f.unredacted) head += `\n  hand over only the redacted copy; the master in the package stays at school:`;
      for (const file of files) head += `\n  ${colour.bold('give')}      ${file}`;
      break;
    }
    case 'review': {
      const clips = (f.clips as { camera: string; contactSheet: string; tracks: string[] }[] | undefined) ?? [];
      head = [
        `${id}: redaction review made in ${String(f.reviewDir)} (${String(f.reviewId)}); the footage stays under the request's hold`,
        ...clips.map((c) => `  ${c.camera.padEnd(9)} ${c.contactSheet} (tracks ${c.tracks.join(', ') || 'none'})`),
        colour.dim(`  next      look at the contact sheet, then: ${r.review?.next ?? `toezicht rights fulfil ${r.request.id} --keep-track ID`}`),
      ].join('\n');
      return [head, ...warn(r.warnings)].join('\n');
    }
    case 'viewing':
      head = `${id}: viewing at school recorded (${String(f.viewedOn)}${f.note ? `: ${shown(String(f.note))}` : ''})`;
      break;
    case 'restriction':
      head = `${id}: footage restricted by hold ${String(f.holdId)}: the purge keeps it, footage export refuses it`;
      break;
    default:
      if (f.erased === true) head = `${id}: ${f.decision ? 'objection granted; ' : ''}footage of the window erased (${plural(Number(f.files), 'file')}, purge run ${String(f.runId)})`;
      else if (f.erased === false)
        head = `${id}: ${colour.red('not erased')}: ${f.legalDuty ? `legal duty: ${shown(String(f.legalDuty))}` : (f.blockedBy as { holdId: string; kind: string; case: string }[]).map((b) => `hold ${b.holdId} (${b.kind}, ${shown(b.case)})`).join(', ')}; the answer letter will say so`;
      else head = `${id}: decision recorded: ${String(f.decision)} (${shown(String(f.grounds))})`;
  }
  return [head, colour.dim(`  next      toezicht rights close ${r.request.id} --outcome … --reason "…"`), ...warn(r.warnings)].join('\n');
}

export function renderClose(r: CloseResult): string {
  const q = r.request;
  return [
    `${colour.bold(q.id)}: closed (${q.outcome})${r.onTime ? colour.green(' on time') : colour.red(' late')}${r.releasedHold ? `; hold ${r.releasedHold} released, normal retention resumes` : ''}`,
    ...letters(r.letters),
    ...warn(r.warnings),
  ].join('\n');
}

export function renderReport(r: YearReport): string {
  const rows = (o: Record<string, number>): (string | number)[][] => Object.entries(o).map(([k, v]) => [k, v]);
  return [
    colour.bold(`Data-subject requests received in ${r.year}: ${r.received}`),
    '',
    table(['type', 'requests'], rows(r.byType)),
    '',
    table(['outcome', 'requests'], rows(r.byOutcome)),
    '',
    table(['answered', 'requests'], [
      ['on time', r.timeliness.onTime],
      ['late', r.timeliness.late],
      ['open, within the deadline', r.timeliness.openWithinDeadline],
      ['open, past the deadline', r.timeliness.openOverdue],
    ]),
    '',
    `extended: ${r.extended}${r.daysToAnswer.median !== null ? ` · days to answer: median ${r.daysToAnswer.median}, longest ${r.daysToAnswer.max}` : ''}`,
    `requesters: ${Object.entries(r.byRelation).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
  ].join('\n');
}
