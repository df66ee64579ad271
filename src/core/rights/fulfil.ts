// Carrying out a request (LEGAL checklist C 6–8): a copy of the footage with everyone else made unrecognisable, or a
// viewing at school; erasure unless another hold or a legal duty keeps the footage; restriction (kept, not used);
// a decision with its grounds on an objection or a rectification. Each is recorded in the request and the audit chain.
import path from 'node:path';
import type { Config } from '../config/index.js';
import { UsageError } from '../errors.js';
import { exportFootage, reviewRedaction, type ExportOptions, type ExportProgress, type ExportRequest, type ExportResult, type Language, type ReviewResult } from '../evidence/index.js';
import { eraseFootage, previewErasure, recordHoldAtStorages, type EraseResult, type ErasurePreview } from '../footage/index.js';
import type { Register, RightsRequest, RightsStep } from '../register/index.js';
import { endOfDay, localDate, parseDate } from '../time/index.js';
import { effectiveDue } from './deadline.js';
import { isReview, recordedReview, subjectRedactionRequest, type SubjectRedaction } from './redaction.js';
import { requireOpen, requireRequest } from './steps.js';

export const DECISIONS = ['granted', 'rejected'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface FulfilInput {
  /** Access or copy: the requester viewed the footage at school instead of receiving a copy (on this day). */
  viewing?: { on?: string; note?: string };
  /** Access or copy: how others are made unrecognisable (see redaction.ts). */
  redaction?: SubjectRedaction;
  /** Access or copy: why the copy needs no redaction (nobody else is recognisable), as checked by the operator. */
  unredacted?: string;
  out?: string;
  encryptTo?: string[];
  overrideRestriction?: string;
  language?: Language;
  /** Erasure: refused because a legal duty requires keeping the footage (AVG art. 17(3)(b)). */
  legalDuty?: string;
  /** Objection or rectification: the decision, and its grounds. */
  decision?: Decision;
  grounds?: string;
}

export interface FulfilOptions {
  now: number;
  toolVersion: string;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
}

export type FulfilAction = 'export' | 'review' | 'viewing' | 'erasure' | 'restriction' | 'decision';

export interface FulfilResult {
  request: RightsRequest;
  action: FulfilAction;
  /** What was recorded in the request. */
  fulfilment: Record<string, unknown>;
  /** Nothing was done because something keeps the footage (an erasure under another hold, or a legal duty). */
  blocked: boolean;
  export?: ExportResult;
  /** The redaction review (--plan-only). */
  review?: ReviewResult;
  erasure?: EraseResult;
  warnings: string[];
  auditSeq: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export async function fulfilRequest(config: Config, register: Register, id: string, input: FulfilInput, options: FulfilOptions): Promise<FulfilResult> {
  const request = await requireRequest(register, id);
  requireOpen(request);
  if (request.state === 'received') {
    throw new UsageError(
      'rights.identity-first',
      `The requester's identity${request.relation === 'parent' || request.relation === 'guardian' ? ' (and parental authority)' : ''} has not been checked yet; record it with \`toezicht rights verify-identity ${request.id} --method "…"\` first (AVG art. 12(6)).`,
    );
  }
  switch (request.type) {
    case 'access':
    case 'copy':
      return input.viewing ? recordViewing(config, register, request, input, options) : exportCopy(config, register, request, input, options);
    case 'erasure':
      return erase(config, register, request, input, options, undefined);
    case 'restriction':
      return restrict(config, register, request, options);
    case 'objection':
    case 'rectification':
      return decide(config, register, request, input, options);
  }
}

/** What `fulfilRequest` with this input would delete, for the operator to confirm first; undefined when it deletes nothing. */
export type FulfilPreview = ErasurePreview & { request: string; from: string; to: string };

export async function previewFulfilment(config: Config, register: Register, id: string, input: FulfilInput): Promise<FulfilPreview | undefined> {
  const request = await requireRequest(register, id);
  const erases = request.type === 'erasure' || (request.type === 'objection' && input.decision === 'granted' && Boolean(input.grounds?.trim()));
  // Refusals (not open, identity unchecked, a legal duty) come from fulfilRequest itself, before anything is deleted.
  if (!erases || request.state === 'received' || request.state === 'closed' || input.legalDuty?.trim()) return undefined;
  const range = window(request);
  const preview = await previewErasure(config, register, { cameras: request.cameras, ...range, ignoreHolds: request.holdId ? [request.holdId] : [] });
  if (!preview.files || preview.blockedBy.length) return undefined;
  return { ...preview, request: request.id, from: iso(range.from), to: iso(range.to) };
}

async function record(register: Register, request: RightsRequest, action: FulfilAction, fulfilment: Record<string, unknown>, step: Partial<RightsStep>, now: number): Promise<{ request: RightsRequest; auditSeq: number }> {
  const { request: updated, entry } = await register.recordRightsStep(request.id, {
    action: step.action ?? 'rights.fulfil',
    details: { type: request.type, action, ...(step.details ?? fulfilment) },
    set: { state: 'fulfilled', fulfilment: { action, ...fulfilment }, fulfilledAt: new Date(now).toISOString() },
    expectStates: ['identity-checked', 'fulfilled'],
    ...(step.addHold ? { addHold: step.addHold } : {}),
  });
  return { request: updated, auditSeq: entry.seq };
}

function window(request: RightsRequest): { from: number; to: number } {
  if (request.from === undefined || request.to === undefined) throw new UsageError('rights.window', `Request ${request.id} names no window of footage.`);
  return { from: request.from, to: request.to };
}

async function exportCopy(config: Config, register: Register, request: RightsRequest, input: FulfilInput, options: FulfilOptions): Promise<FulfilResult> {
  const range = window(request);
  const unredacted = input.unredacted?.trim();
  const redaction = input.redaction && (input.redaction.planOnly || input.redaction.keepTracks.length || input.redaction.plan) ? input.redaction : undefined;
  if (redaction && unredacted) throw new UsageError('rights.redaction', 'Choose either redaction (--plan-only, --keep-track, --plan) or --unredacted, not both.');
  if (!redaction && !unredacted) {
    throw new UsageError(
      'rights.redaction',
      'Say how other people are made unrecognisable (AVG art. 15(4)): --plan-only to make the contact sheet, then --keep-track ID for the subject (everyone else is redacted); or --unredacted "<why>" when nobody else is recognisable; or --viewing for a viewing at school.',
    );
  }
  if (redaction && !redaction.planOnly && input.encryptTo?.length) {
    // An encrypted package holds the unredacted master next to the redacted copy: the requester could read it.
    throw new UsageError('rights.encrypt-redacted', 'A redacted copy is handed over as its own file (the package also holds the unredacted master, which stays at school), so --encrypt-to does not apply; encrypt the handed-over file separately if you send it.');
  }
  const due = effectiveDue(request);
  const keepUntil = endOfDay(due, config.school.timezone);
  const exportRequest: ExportRequest = {
    cameras: request.cameras,
    from: iso(range.from),
    to: iso(range.to),
    ...(input.out ? { out: input.out } : {}),
    // The request's own hold keeps the footage, and the package while the request is open (same case).
    caseRef: request.id,
    hold: false,
    // …and at least until the deadline, so a request closed early still leaves time to hand the package over.
    ...(keepUntil > options.now ? { keepUntil: due } : {}),
    reason: `Verzoek om ${request.type === 'copy' ? 'een kopie' : 'inzage'} van de betrokkene (${request.id})`,
    legalBasis: request.type === 'copy' ? 'art. 15 lid 3 AVG (kopie voor de betrokkene)' : 'art. 15 AVG (inzage door de betrokkene)',
    // The register's request row names the person; the audit chain and the manifest only the request.
    recipient: `verzoeker ${request.id} (${request.relation})`,
    ...(input.encryptTo?.length ? { encryptTo: input.encryptTo } : {}),
    ...(input.overrideRestriction ? { overrideRestriction: input.overrideRestriction } : {}),
    ...(input.language ? { language: input.language } : {}),
    ...(redaction ? { redact: subjectRedactionRequest(request, redaction, redaction.planOnly ? undefined : await recordedReview(register, request)) } : {}),
    // The review's next step is this request's, not a bare export's (the CLI and the folder's LEESMIJ say the same).
    reviewFor: { request: request.id, next: `toezicht rights fulfil ${request.id} --keep-track ID` },
  };
  const exportOptions = {
    now: options.now,
    toolVersion: options.toolVersion,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  // Warnings that do not apply here: the request's hold keeps the footage, and the package or review while it is open.
  const relevant = (warnings: string[]): string[] => warnings.filter((w) => !w.includes('expires at once') && !w.startsWith('no --case'));
  if (isReview(redaction)) return reviewFor(config, register, request, exportRequest, exportOptions, relevant);

  const result = await exportFootage(config, register, exportRequest, exportOptions);
  await register.linkRightsEntry(request.id, result.auditSeq);
  const clips = result.manifest.clips.map((c) => ({ camera: c.camera, file: c.output.file, sha256: c.output.sha256, from: c.covered.from, to: c.covered.to, redacted: c.redacted }));
  // What the requester gets: the redacted copy of each clip (the master stays at school, in the package), or the clip.
  const handOver = clips.map((c) =>
    c.redacted
      ? { camera: c.camera, file: c.redacted.file, sha256: c.redacted.sha256, from: c.from, to: c.to, master: { file: c.file, sha256: c.sha256 }, keptTracks: c.redacted.keptTracks, redactedTracks: c.redacted.redactedTracks }
      : { camera: c.camera, file: c.file, sha256: c.sha256, from: c.from, to: c.to },
  );
  const fulfilment = {
    exportId: result.exportId,
    packageDir: result.packageDir,
    manifestSha256: result.manifestSha256,
    clips: handOver,
    handOver: handOver.map((c) => path.join(result.packageDir, c.file)),
    encrypted: result.encrypted,
    ...(redaction ? { redaction: { keepTracks: redaction.keepTracks, plan: exportRequest.redact!.plans![0]! } } : {}),
    ...(unredacted ? { unredacted } : {}),
  };
  const warnings = relevant(result.warnings);
  if (redaction && !redaction.keepTracks.length) warnings.push('no --keep-track: everyone found is redacted, the subject too; give the subject\'s track from the contact sheet to leave them visible');
  const done = await record(
    register,
    request,
    'export',
    fulfilment,
    { details: { exportId: result.exportId, manifestSha256: result.manifestSha256, ...(unredacted ? { unredacted } : { redacted: true, keptTracks: redaction!.keepTracks }) } },
    options.now,
  );
  return { ...done, action: 'export', fulfilment: { action: 'export', ...fulfilment }, blocked: false, export: result, warnings };
}

/** The redaction review of the request's footage, for the operator to find the subject on the contact sheets. */
async function reviewFor(
  config: Config,
  register: Register,
  request: RightsRequest,
  exportRequest: ExportRequest,
  exportOptions: ExportOptions,
  relevant: (w: string[]) => string[],
): Promise<FulfilResult> {
  const review = await reviewRedaction(config, register, exportRequest, exportOptions);
  await register.linkRightsEntry(request.id, review.auditSeq);
  const fulfilment = {
    reviewId: review.reviewId,
    reviewDir: review.reviewDir,
    clips: review.review.clips.map((c) => ({ camera: c.camera, contactSheet: path.join(review.reviewDir, c.contactSheet.file), plan: path.join(review.reviewDir, c.plan.file), tracks: c.plan.tracks.map((t) => t.id) })),
  };
  // Recorded in the request (its history), not as its fulfilment: nothing is handed out yet.
  const { entry } = await register.recordRightsStep(request.id, {
    action: 'rights.review',
    details: { type: request.type, reviewId: review.reviewId, reviewDir: review.reviewDir, reviewSha256: review.reviewSha256, tracks: fulfilment.clips.map((c) => ({ camera: c.camera, tracks: c.tracks.length })) },
    expectStates: ['identity-checked', 'fulfilled'],
  });
  return { request: (await register.getRightsRequest(request.id))!, action: 'review', fulfilment, blocked: false, review, warnings: relevant(review.warnings), auditSeq: entry.seq };
}

async function recordViewing(config: Config, register: Register, request: RightsRequest, input: FulfilInput, options: FulfilOptions): Promise<FulfilResult> {
  const range = window(request);
  const today = localDate(options.now, config.school.timezone);
  const on = input.viewing?.on?.trim() || today;
  if (!parseDate(on)) throw new UsageError('rights.viewed-on', `--viewed-on "${on}" is not a date; use YYYY-MM-DD.`);
  if (on > today) throw new UsageError('rights.viewed-on', `--viewed-on ${on} is in the future; record the viewing once it has taken place.`);
  const fulfilment = { viewedOn: on, ...(input.viewing?.note?.trim() ? { note: input.viewing.note.trim() } : {}) };
  // A viewing discloses footage just as a copy does: it is recorded as a disclosure (audit export --csv).
  const done = await record(
    register,
    request,
    'viewing',
    fulfilment,
    {
      action: 'rights.viewing',
      details: { ...fulfilment, recipient: `verzoeker ${request.id} (${request.relation})`, cameras: request.cameras, from: iso(range.from), to: iso(range.to), reason: `Inzage op school (${request.id})` },
    },
    options.now,
  );
  return { ...done, action: 'viewing', fulfilment: { action: 'viewing', ...fulfilment }, blocked: false, warnings: [] };
}

/** Packages already made of the window (copies elsewhere: their recipients are told of an erasure, AVG art. 19). */
async function copiesOf(register: Register, request: RightsRequest, range: { from: number; to: number }): Promise<{ exportId: string; recipient?: string; case?: string }[]> {
  const exports = (await register.listExports({ statuses: ['done'] })).filter(
    (e) => e.caseRef !== request.id && e.cameras.some((c) => request.cameras.includes(c)) && e.from < range.to && e.to > range.from,
  );
  if (!exports.length) return [];
  const entries = await register.auditEntries({ action: 'export.create' });
  return exports.map((e) => {
    const d = entries.find((x) => x.details.exportId === e.id)?.details ?? {};
    return { exportId: e.id, ...(typeof d.recipient === 'string' ? { recipient: d.recipient } : {}), ...(e.caseRef ? { case: e.caseRef } : {}) };
  });
}

async function erase(config: Config, register: Register, request: RightsRequest, input: FulfilInput, options: FulfilOptions, decision: { decision: Decision; grounds: string } | undefined): Promise<FulfilResult> {
  const range = window(request);
  const legalDuty = input.legalDuty?.trim();
  const base = decision ? { decision: decision.decision, grounds: decision.grounds } : {};
  const action: FulfilAction = decision ? 'decision' : 'erasure';
  if (legalDuty) {
    const fulfilment = { ...base, erased: false, legalDuty };
    const done = await record(register, request, action, fulfilment, { action: 'rights.erase-refused' }, options.now);
    return { ...done, action, fulfilment: { action, ...fulfilment }, blocked: true, warnings: [] };
  }
  const result = await eraseFootage(config, register, { cameras: request.cameras, ...range, ignoreHolds: request.holdId ? [request.holdId] : [], reference: request.id }, { now: options.now });
  if (result.auditSeq !== null) await register.linkRightsEntry(request.id, result.auditSeq);
  const blockedBy = result.blockedBy.map((b) => ({ holdId: b.hold.id, kind: b.hold.kind, case: b.hold.caseRef, reason: b.hold.reason, files: b.files }));
  const copies = await copiesOf(register, request, range);
  if (blockedBy.length && !result.deleted.length) {
    const fulfilment = { ...base, erased: false, blockedBy };
    const done = await record(register, request, action, fulfilment, { action: 'rights.erase-refused' }, options.now);
    return { ...done, action, fulfilment: { action, ...fulfilment }, blocked: true, erasure: result, warnings: [] };
  }
  const fulfilment = {
    ...base,
    erased: true,
    files: result.deleted.length,
    bytes: result.bytes,
    runId: result.runId,
    erasedOn: localDate(options.now, config.school.timezone),
    ...(blockedBy.length ? { blockedBy } : {}),
    ...(copies.length ? { copies } : {}),
    ...(result.errors.length ? { errors: result.errors.length } : {}),
  };
  const done = await record(register, request, action, fulfilment, { action: 'rights.erase', details: { ...base, erased: true, files: result.deleted.length, bytes: result.bytes, runId: result.runId, ...(copies.length ? { copies: copies.map((c) => c.exportId) } : {}) } }, options.now);
  const warnings = [
    ...(result.deleted.length ? [] : ['no footage of the window was left to erase (the retention purge had deleted it, or there was none)']),
    ...(copies.length ? [`copies of this footage were handed out before (${copies.map((c) => `${c.exportId}${c.recipient ? ` to ${c.recipient}` : ''}`).join('; ')}): tell those recipients of the erasure (AVG art. 19)`] : []),
    ...result.errors.map((e) => `${e.storage}:${e.path}: ${e.message}`),
  ];
  return { ...done, action, fulfilment: { action, ...fulfilment }, blocked: false, erasure: result, warnings };
}

async function restrict(config: Config, register: Register, request: RightsRequest, options: FulfilOptions): Promise<FulfilResult> {
  const range = window(request);
  if (request.restrictionHoldId) {
    const hold = await register.getHold(request.restrictionHoldId);
    if (hold && !hold.releasedAt) throw new UsageError('rights.restricted', `The footage of request ${request.id} is already restricted by hold ${hold.id}; nothing changed.`);
  }
  const { request: updated, entry, hold } = await register.recordRightsStep(request.id, {
    action: 'rights.restrict',
    details: { type: request.type, action: 'restriction', cameras: request.cameras, from: iso(range.from), to: iso(range.to) },
    // The register records the new hold as the request's restriction hold (restrictionHoldId).
    set: { state: 'fulfilled', fulfilment: { action: 'restriction' }, fulfilledAt: new Date(options.now).toISOString() },
    expectStates: ['identity-checked', 'fulfilled'],
    addHold: { kind: 'restriction', reason: 'Beperking van de verwerking (AVG art. 18): bewaren, niet gebruiken of verstrekken', cameras: request.cameras, ...range },
  });
  // The restriction's hold beside the footage too, as every hold is.
  const warnings = await recordHoldAtStorages(config, register, hold!);
  return { request: updated, action: 'restriction', fulfilment: { action: 'restriction', holdId: hold!.id }, blocked: false, warnings, auditSeq: entry.seq };
}

async function decide(config: Config, register: Register, request: RightsRequest, input: FulfilInput, options: FulfilOptions): Promise<FulfilResult> {
  const grounds = input.grounds?.trim();
  if (!input.decision || !grounds) {
    throw new UsageError(
      'rights.decision',
      `Record the decision on the ${request.type} with --decision granted|rejected and --grounds "<why>"${request.type === 'objection' ? ' (an objection is granted unless there are compelling legitimate grounds, AVG art. 21(1); granted, the footage is erased)' : ''}.`,
    );
  }
  // EDPB 3/2019 §6.2.2: an objection that is granted means the footage is erased (AVG art. 17(1)(c)).
  if (request.type === 'objection' && input.decision === 'granted') return erase(config, register, request, input, options, { decision: 'granted', grounds });
  const fulfilment = { decision: input.decision, grounds };
  const done = await record(register, request, 'decision', fulfilment, { action: 'rights.decide' }, options.now);
  return { ...done, action: 'decision', fulfilment: { action: 'decision', ...fulfilment }, blocked: false, warnings: [] };
}
