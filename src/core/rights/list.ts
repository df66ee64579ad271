// The requests as the privacy officer follows them: days left and how urgent, each one's state, and the counts
// for the annual report (by type, outcome, on time or late).
import { UsageError } from '../errors.js';
import { RIGHTS_OUTCOMES, RIGHTS_TYPES, type AuditEntry, type Hold, type Register, type RightsRequest } from '../register/index.js';
import { daysBetween, localDate } from '../time/index.js';
import { answeredOnTime, daysLeft, effectiveDue, urgency, type Urgency } from './deadline.js';
import { requireRequest } from './steps.js';

/** The milestones of a request, in order; `fulfilled` is named by what was done. */
export type Milestone = 'received' | 'identity checked' | 'footage exported' | 'viewed at school' | 'erased' | 'erasure refused' | 'restricted' | 'decided' | 'answered' | 'closed';

export function fulfilmentLabel(request: RightsRequest): Milestone | undefined {
  const f = request.fulfilment;
  if (!f) return undefined;
  switch (f.action) {
    case 'export':
      return 'footage exported';
    case 'viewing':
      return 'viewed at school';
    case 'erasure':
      return f.erased === false ? 'erasure refused' : 'erased';
    case 'restriction':
      return 'restricted';
    default:
      return 'decided';
  }
}

export function stateLabel(request: RightsRequest): Milestone {
  if (request.state === 'closed') return 'closed';
  return fulfilmentLabel(request) ?? (request.identityCheckedAt ? 'identity checked' : 'received');
}

export interface ListedRequest {
  id: string;
  type: RightsRequest['type'];
  state: RightsRequest['state'];
  stateLabel: Milestone;
  requester: string;
  relation: RightsRequest['relation'];
  subject: string;
  cameras: string[];
  receivedOn: string;
  /** The deadline that applies (extended or not). */
  dueOn: string;
  extended: boolean;
  /** Open requests: calendar days to the deadline (negative once past) and its colour. */
  daysLeft: number | null;
  urgency: Urgency | null;
  outcome: RightsRequest['outcome'] | null;
  answeredOn: string | null;
  onTime: boolean | null;
}

export interface RequestListing {
  today: string;
  requests: ListedRequest[];
  /** Open requests with fewer than 5 days left, or past their deadline. */
  red: number;
}

export function listed(request: RightsRequest, today: string, timeZone: string): ListedRequest {
  const open = !request.closedAt;
  const left = open ? daysLeft(request, today) : null;
  const answeredOn = request.answeredAt ? localDate(Date.parse(request.answeredAt), timeZone) : null;
  return {
    id: request.id,
    type: request.type,
    state: request.state,
    stateLabel: stateLabel(request),
    requester: request.requester,
    relation: request.relation,
    subject: request.subject,
    cameras: request.cameras,
    receivedOn: request.receivedOn,
    dueOn: effectiveDue(request),
    extended: request.extendedDueOn !== undefined,
    daysLeft: left,
    urgency: left === null ? null : urgency(left),
    outcome: request.outcome ?? null,
    answeredOn,
    onTime: answeredOn ? answeredOnTime(request, answeredOn) : null,
  };
}

export async function listRequests(register: Register, options: { now: number; timeZone: string; open?: boolean; overdue?: boolean }): Promise<RequestListing> {
  const today = localDate(options.now, options.timeZone);
  const all = (await register.listRightsRequests({ open: Boolean(options.open || options.overdue) })).map((r) => listed(r, today, options.timeZone));
  const requests = options.overdue ? all.filter((r) => r.urgency === 'red') : all;
  return { today, requests, red: all.filter((r) => r.urgency === 'red').length };
}

export interface RequestDetails {
  request: RightsRequest;
  listed: ListedRequest;
  /** Each milestone with the day it was reached (null: not yet). */
  milestones: { milestone: Milestone; on: string | null }[];
  holds: Hold[];
  history: AuditEntry[];
}

export async function showRequest(register: Register, id: string, options: { now: number; timeZone: string }): Promise<RequestDetails> {
  const request = await requireRequest(register, id);
  const day = (iso: string | undefined): string | null => (iso ? localDate(Date.parse(iso), options.timeZone) : null);
  const holds = (await Promise.all([request.holdId, request.restrictionHoldId].filter((h): h is string => Boolean(h)).map((h) => register.getHold(h)))).filter((h): h is Hold => Boolean(h));
  return {
    request,
    listed: listed(request, localDate(options.now, options.timeZone), options.timeZone),
    milestones: [
      { milestone: 'received', on: request.receivedOn },
      { milestone: 'identity checked', on: day(request.identityCheckedAt) },
      { milestone: fulfilmentLabel(request) ?? (request.type === 'access' || request.type === 'copy' ? 'footage exported' : 'decided'), on: day(request.fulfilledAt) },
      { milestone: 'answered', on: day(request.answeredAt) },
      { milestone: 'closed', on: day(request.closedAt) },
    ],
    holds,
    history: await register.rightsHistory(request.id),
  };
}

export interface YearReport {
  year: number;
  /** Requests received in the year. */
  received: number;
  byType: Record<string, number>;
  byRelation: Record<string, number>;
  /** Closed requests by outcome; `open` for those not closed. */
  byOutcome: Record<string, number>;
  timeliness: { onTime: number; late: number; openWithinDeadline: number; openOverdue: number };
  extended: number;
  /** Calendar days from receipt to answer of the closed requests. */
  daysToAnswer: { median: number | null; max: number | null };
}

export async function yearReport(register: Register, options: { year: number; now: number; timeZone: string }): Promise<YearReport> {
  if (!Number.isInteger(options.year) || options.year < 2000 || options.year > 2200) throw new UsageError('rights.year', `--year ${options.year} is not a year such as 2026.`);
  const today = localDate(options.now, options.timeZone);
  const requests = (await register.listRightsRequests()).filter((r) => r.receivedOn.startsWith(`${options.year}-`));
  const zero = (keys: readonly string[]): Record<string, number> => Object.fromEntries(keys.map((k) => [k, 0]));
  const report: YearReport = {
    year: options.year,
    received: requests.length,
    byType: zero(RIGHTS_TYPES),
    byRelation: {},
    byOutcome: { ...zero(RIGHTS_OUTCOMES), open: 0 },
    timeliness: { onTime: 0, late: 0, openWithinDeadline: 0, openOverdue: 0 },
    extended: 0,
    daysToAnswer: { median: null, max: null },
  };
  const days: number[] = [];
  for (const r of requests) {
    const l = listed(r, today, options.timeZone);
    report.byType[r.type] = (report.byType[r.type] ?? 0) + 1;
    report.byRelation[r.relation] = (report.byRelation[r.relation] ?? 0) + 1;
    report.byOutcome[r.outcome ?? 'open'] = (report.byOutcome[r.outcome ?? 'open'] ?? 0) + 1;
    if (l.extended) report.extended++;
    if (l.answeredOn) {
      if (l.onTime) report.timeliness.onTime++;
      else report.timeliness.late++;
      days.push(daysBetween(r.receivedOn, l.answeredOn));
    } else if (l.daysLeft! < 0) report.timeliness.openOverdue++;
    else report.timeliness.openWithinDeadline++;
  }
  days.sort((a, b) => a - b);
  if (days.length) {
    const mid = Math.floor(days.length / 2);
    report.daysToAnswer = { median: days.length % 2 ? days[mid]! : (days[mid - 1]! + days[mid]!) / 2, max: days.at(-1)! };
  }
  return report;
}
