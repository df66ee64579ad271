// The accountability report's model: what the register, the storages and the config say about a period, in figures
// only (no language). The renderers (render.ts) and the charts (charts.ts) turn it into text and pictures.
import { requireSchools, type Config, type ResolvedCamera } from '../config/index.js';
import { complianceReport } from '../documents/index.js';
import { cameraCutoff, storageViews, verifyRegister } from '../footage/index.js';
import type { AuditEntry, Hold, Register, RightsRequest } from '../register/index.js';
import { RIGHTS_TYPES } from '../register/index.js';
import { effectiveDue } from '../rights/index.js';
import { daysBetween, formatUtc, localDate, zonedToInstant } from '../time/index.js';

const DAY = 86_400_000;
/** Footage closer together than this is one stretch; a wider hole is a gap in the timeline. */
export const GAP_MS = 15 * 60_000;
/** A nightly purge leaves up to a day more than the retention; beyond this slack the oldest footage is too old. */
const PURGE_SLACK_DAYS = 1.5;
/** Documents whose adopted versions the register keeps. */
const DOCUMENTS = ['reglement', 'protocol', 'sign', 'letter', 'dpia'] as const;

export interface ReportOptions {
  from: number;
  /** Exclusive end of the period (ms). */
  to: number;
  now: number;
  schools?: string[];
  /** Include hidden (covert) cameras and what concerns only them. */
  confidential?: boolean;
  lang: 'nl' | 'en';
}

export interface Range {
  from: number;
  to: number;
}

export interface MonthEnd {
  /** The month's last day (YYYY-MM-DD, school time). */
  date: string;
  /** Age in days of the oldest footage present at that moment (null: none). */
  oldestAgeDays: number | null;
  allowedDays: number | null;
  /** The oldest footage was kept by a hold. */
  held: boolean;
  ok: boolean;
}

export interface CameraRetention {
  id: string;
  school?: string;
  name?: string;
  category: string;
  hidden: boolean;
  rule: string;
  /** The cut-off at the period's end: footage before it should be gone unless held (ms; null: no retention set). */
  retentionLine: number | null;
  /** Footage that existed in the period: still on storage, or deleted by a purge run. */
  present: Range[];
  held: (Range & { holdId: string })[];
  gaps: Range[];
  filesOnStorage: number;
  filesDeleted: number;
  monthEnds: MonthEnd[];
}

export interface PurgeNight {
  /** YYYY-MM-DD (school time) of the run's moment. */
  date: string;
  runs: number;
  files: number;
  bytes: number;
  statuses: string[];
}

export interface Refusal {
  at: string;
  action: string;
  reason: string;
  seq: number;
}

export interface SettledRun {
  runId: number;
  at: string;
  deletedFiles: number;
  leftForNextRun: number;
}

export interface ReportHold {
  id: string;
  kind: string;
  caseRef: string;
  reason: string;
  cameras: string[];
  openedAt: string;
  releasedAt?: string;
  releaseReason?: string;
  /** Days from opening to release, or to the period's end while open. */
  days: number;
}

export interface ReportExport {
  id: string;
  status: string;
  createdAt: string;
  caseRef?: string;
  cameras: string[];
  recipient?: string;
  legalBasis?: string;
  reason?: string;
  redacted: boolean;
  encrypted: boolean;
  keepUntil?: string;
  expired: boolean;
  removedAt?: string;
}

export interface ReportRequest {
  id: string;
  type: string;
  state: string;
  receivedOn: string;
  dueOn: string;
  answeredOn?: string;
  /** Days from receipt to answer, or to the period's end while open. */
  daysTaken: number;
  deadlineDays: number;
  answered: boolean;
  onTime: boolean;
  extended: boolean;
  extensionReason?: string;
}

export interface RequestTally {
  received: number;
  answered: number;
  onTime: number;
  late: number;
  open: number;
}

export interface ComplianceSnapshot {
  at: string;
  errors: number;
  warnings: number;
  findings: { rule: string; severity: string; message: string; subject?: string }[];
}

export interface ReportModel {
  title: { school: string; schools: string[] };
  period: { from: string; to: string; firstDay: string; lastDay: string };
  generatedAt: string;
  timeZone: string;
  confidential: boolean;
  retention: { cameras: CameraRetention[] };
  deletions: { nights: PurgeNight[]; totals: { runs: number; files: number; bytes: number }; refusals: Refusal[]; settled: SettledRun[]; failedRuns: number };
  holds: ReportHold[];
  exports: ReportExport[];
  requests: { items: ReportRequest[]; byType: Record<string, RequestTally> };
  rules: { now: ComplianceSnapshot; atStart: ComplianceSnapshot; documents: { document: string; version: number; status: string; createdAt: string }[]; reviews: { document: string; revisionDate: string; due: boolean }[] };
  proof: {
    intact: boolean;
    entries: number;
    broken?: { seq: number; problem: string };
    tamperedRuns: number;
    /** The newest anchor of the chain found outside the register (a storage's marker), and what the chain says to it. */
    anchor?: { storage: string; seq: number; hash: string; at: string };
    anchorProblem?: string;
    lastHash?: string;
  };
}

const iso = (ms: number): string => formatUtc(ms);
const inPeriod = (at: string, o: ReportOptions): boolean => {
  const t = Date.parse(at);
  return t >= o.from && t < o.to;
};
const overlaps = (r: Range, o: Range): boolean => r.from < o.to && r.to >= o.from;
const clip = (r: Range, o: Range): Range => ({ from: Math.max(r.from, o.from), to: Math.min(r.to, o.to) });
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Sorted, overlapping or near (within `tolerance`) ranges joined. */
export function mergeRanges(ranges: Range[], tolerance = GAP_MS): Range[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + tolerance) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/** The instants of each month's end (school time) inside the period and not after now. */
function monthEnds(o: ReportOptions, timeZone: string): { date: string; at: number }[] {
  const out: { date: string; at: number }[] = [];
  const [y0, m0] = localDate(o.from, timeZone).split('-').map(Number) as [number, number];
  for (let y = y0, m = m0; ; m === 12 ? ((m = 1), y++) : m++) {
    const next = zonedToInstant({ year: m === 12 ? y + 1 : y, month: m === 12 ? 1 : m + 1, day: 1, hour: 0, minute: 0, second: 0 }, timeZone, 'earlier');
    const at = next - 1;
    if (at >= o.to || at > o.now) break;
    out.push({ date: localDate(at, timeZone), at });
  }
  return out;
}

/** Whether something concerning these cameras may be shown: hidden cameras only in the confidential variant. */
function visible(cameras: readonly string[], hidden: ReadonlySet<string>, shown: ReadonlySet<string>, o: ReportOptions): boolean {
  if (o.confidential) return cameras.length === 0 || cameras.some((c) => shown.has(c) || hidden.has(c));
  if (cameras.length === 0) return true;
  return cameras.some((c) => shown.has(c)) && !cameras.every((c) => hidden.has(c));
}

/** Gathers the report of a period. Reads only: nothing is changed, not even the audit chain. */
export async function gatherReport(config: Config, register: Register, o: ReportOptions): Promise<ReportModel> {
  const tz = config.school.timezone;
  if (o.schools?.length) requireSchools(config, o.schools);
  const inSchools = (c: ResolvedCamera): boolean => !o.schools?.length || (c.school !== undefined && o.schools.includes(c.school));
  const schoolCameras = config.cameras.filter(inSchools);
  const hiddenIds = new Set(schoolCameras.filter((c) => c.category === 'covert').map((c) => c.id));
  const cameras = schoolCameras.filter((c) => o.confidential || !hiddenIds.has(c.id));
  const shown = new Set(cameras.map((c) => c.id));
  const period: Range = { from: o.from, to: o.to };
  const end = Math.min(o.to, o.now);
  const hideList = (ids: readonly string[]): string[] => ids.filter((c) => o.confidential || !hiddenIds.has(c));

  // Audit entries of the period, once: purge runs, refusals, settled runs.
  const entries = (await register.auditEntries({ sinceMs: o.from })).filter((e) => inPeriod(e.at, o));
  const runEntries = entries.filter((e) => e.action === 'purge.run');
  // A run's moment is the `now` it decided with (recorded in its entry); the entry's time when it has none.
  const runMoment = (e: AuditEntry): number => {
    const n = str(e.details.now);
    return n ? Date.parse(n) : Date.parse(e.at);
  };
  const allRuns = await register.auditEntries({ action: 'purge.run' });
  const momentOfRun = new Map(allRuns.map((e) => [num(e.details.runId), runMoment(e)]));

  // 1. Retention: footage on storage now, footage deleted by runs, holds.
  const stored = new Map<string, Range[]>(cameras.map((c) => [c.id, []]));
  const storedFiles = new Map<string, number>();
  const oldestStored = new Map<string, number[]>();
  // Each storage is walked at the same time as the others: a board's are separate shares and buckets.
  const walkStorage = async (view: ReturnType<typeof storageViews>[number]): Promise<void> => {
    if (![...view.cameras.values()].some((c) => shown.has(c.id))) return;
    const check = await view.store.check();
    if (!check.ok) return;
    for await (const chunk of view.store.walk()) {
      if (chunk.error) continue;
      for (const entry of chunk.entries) {
        if (entry.kind !== 'file') continue;
        const parsed = view.parse(chunk.dir ? `${chunk.dir}/${entry.name}` : entry.name);
        const camera = parsed ? view.cameras.get(parsed.camera) : undefined;
        if (!parsed || !camera || !shown.has(camera.id)) continue;
        storedFiles.set(camera.id, (storedFiles.get(camera.id) ?? 0) + 1);
        let starts = oldestStored.get(camera.id);
        if (!starts) oldestStored.set(camera.id, (starts = []));
        starts.push(parsed.start);
        const r = { from: parsed.start, to: parsed.end };
        if (overlaps(r, period)) stored.get(camera.id)!.push(clip(r, period));
      }
    }
  };
  await Promise.all(storageViews({ ...config, cameras }).map(walkStorage));
  const allHolds = await register.listHolds({ includeReleased: true });
  const months = monthEnds(o, tz);
  const retention: CameraRetention[] = [];
  const deletionsOf = new Map<string, Awaited<ReturnType<Register['deletionsInRange']>>>();
  for (const camera of cameras) {
    const cutoff = cameraCutoff(camera, tz, end);
    // Every deletion of the camera's footage up to the period's end: the timeline needs those of footage in the
    // period, the nights those done in it (of footage that may be older).
    const everDeleted = await register.deletionsInRange(camera.id, 0, o.to);
    deletionsOf.set(camera.id, everDeleted);
    const deletions = everDeleted.filter((d) => d.lastEnd >= o.from);
    const deletedRanges = deletions.map((d) => ({ from: d.firstStart, to: d.lastEnd, at: momentOfRun.get(d.runId) ?? Date.parse(d.deletedAt) }));
    // A camera that records on motion (or a sparse test) has regular holes: a gap is a hole more than twice its usual
    // spacing, and never less than GAP_MS.
    const tolerance = Math.max(GAP_MS, 2 * medianSpacing(oldestStored.get(camera.id) ?? []));
    const present = mergeRanges([...stored.get(camera.id)!, ...deletedRanges.map((d) => clip(d, period))], tolerance).filter((r) => r.to > r.from);
    const gaps: Range[] = [];
    for (let i = 1; i < present.length; i++) gaps.push({ from: present[i - 1]!.to, to: present[i]!.from });
    const last = present[present.length - 1];
    if (last && end - last.to > tolerance) gaps.push({ from: last.to, to: end });
    const held = allHolds
      .filter((h) => h.cameras.includes(camera.id) && overlaps(h, period))
      .map((h) => ({ holdId: h.id, ...clip(h, period) }));
    const starts = oldestStored.get(camera.id) ?? [];
    const monthEndRows = months.map(({ date, at }): MonthEnd => {
      // What existed at that moment: footage still stored that had started, and footage a later run deleted.
      let oldest = Infinity;
      for (const s of starts) if (s <= at && s < oldest) oldest = s;
      for (const d of deletedRanges) if (d.from <= at && d.at > at && d.from < oldest) oldest = d.from;
      const c = cameraCutoff(camera, tz, at);
      const allowedDays = Number.isFinite(c.before) ? round1((at - c.before) / DAY) : null;
      const oldestAgeDays = Number.isFinite(oldest) ? round1((at - oldest) / DAY) : null;
      // Footage a hold kept may be older than the rule allows: a hold covering the oldest footage, not yet released.
      const heldThen = allHolds.some((h) => h.cameras.includes(camera.id) && oldest <= h.to && oldest + GAP_MS >= h.from && (!h.releasedAt || Date.parse(h.releasedAt) > at));
      const ok = oldestAgeDays === null || allowedDays === null || heldThen || oldestAgeDays <= allowedDays + PURGE_SLACK_DAYS;
      return { date, oldestAgeDays, allowedDays, held: heldThen, ok };
    });
    retention.push({
      id: camera.id,
      ...(camera.school ? { school: camera.school } : {}),
      ...(camera.name ? { name: camera.name } : {}),
      category: camera.category,
      hidden: hiddenIds.has(camera.id),
      rule: cutoff.rule,
      retentionLine: Number.isFinite(cutoff.before) ? cutoff.before : null,
      present,
      held,
      gaps,
      filesOnStorage: storedFiles.get(camera.id) ?? 0,
      filesDeleted: deletions.reduce((n, d) => n + d.files, 0),
      monthEnds: monthEndRows,
    });
  }

  // 2. Deletions per night: runs from their audit entries; files and bytes from the deletion records of the
  // cameras shown, so that a hidden camera's deletions do not show in the default report's figures either.
  const nights = new Map<string, PurgeNight>();
  const night = (date: string): PurgeNight => {
    let n = nights.get(date);
    if (!n) nights.set(date, (n = { date, runs: 0, files: 0, bytes: 0, statuses: [] }));
    return n;
  };
  let failedRuns = 0;
  for (const e of runEntries) {
    const n = night(localDate(runMoment(e), tz));
    n.runs++;
    const status = str(e.details.status) ?? 'done';
    if (!n.statuses.includes(status)) n.statuses.push(status);
    if (status === 'failed') failedRuns++;
  }
  const periodRuns = new Set(runEntries.map((e) => num(e.details.runId)));
  // A killed run has no purge.run entry; its files count on the night it was settled.
  for (const e of entries.filter((x) => x.action === 'purge.interrupted')) {
    const runId = num(e.details.runId);
    periodRuns.add(runId);
    if (!momentOfRun.has(runId)) momentOfRun.set(runId, Date.parse(e.at));
  }
  for (const d of deletionsOf.values()) {
    for (const x of d) {
      if (!periodRuns.has(x.runId)) continue;
      const n = night(localDate(momentOfRun.get(x.runId)!, tz));
      n.files += x.files;
      n.bytes += x.bytes;
    }
  }
  const nightList = [...nights.values()].sort((a, b) => a.date.localeCompare(b.date));
  const refusals: Refusal[] = entries
    .filter((e) => e.action.endsWith('.refused'))
    .map((e) => ({ at: e.at, action: e.action, reason: str(e.details.reason) ?? '', seq: e.seq }));
  const settled: SettledRun[] = entries
    .filter((e) => e.action === 'purge.interrupted')
    .map((e) => ({ runId: num(e.details.runId), at: e.at, deletedFiles: num(e.details.deletedFiles), leftForNextRun: num(e.details.leftForNextRun) }));

  // 3. Holds and disclosures.
  const holds: ReportHold[] = allHolds
    .filter((h) => inPeriod(h.createdAt, o) || (h.releasedAt !== undefined && inPeriod(h.releasedAt, o)) || (Date.parse(h.createdAt) < o.from && !h.releasedAt))
    .filter((h) => visible(h.cameras, hiddenIds, shown, o))
    .map((h: Hold) => ({
      id: h.id,
      kind: h.kind,
      caseRef: h.caseRef,
      reason: h.reason,
      cameras: hideList(h.cameras),
      openedAt: h.createdAt,
      ...(h.releasedAt ? { releasedAt: h.releasedAt } : {}),
      ...(h.releaseReason ? { releaseReason: h.releaseReason } : {}),
      days: round1(((h.releasedAt ? Date.parse(h.releasedAt) : end) - Date.parse(h.createdAt)) / DAY),
    }));
  const createEntries = new Map(
    (await register.auditEntries({ action: 'export.create', sinceMs: o.from })).map((e) => [str(e.details.exportId) ?? '', e] as const),
  );
  const exports: ReportExport[] = (await register.listExports({ statuses: ['done', 'purged'] }))
    .filter((x) => inPeriod(x.createdAt, o) && visible(x.cameras, hiddenIds, shown, o))
    .filter((x) => x.status === 'done' || createEntries.has(x.id))
    .map((x) => {
      const d = createEntries.get(x.id)?.details ?? {};
      return {
        id: x.id,
        status: x.status,
        createdAt: x.createdAt,
        ...(x.caseRef ? { caseRef: x.caseRef } : {}),
        cameras: hideList(x.cameras),
        ...(str(d.recipient) ? { recipient: str(d.recipient)! } : {}),
        ...(str(d.legalBasis) ? { legalBasis: str(d.legalBasis)! } : {}),
        ...(x.reason ? { reason: x.reason } : {}),
        redacted: d.redaction !== undefined,
        encrypted: x.encrypted,
        ...(x.keepUntil !== undefined ? { keepUntil: iso(x.keepUntil) } : {}),
        expired: x.keepUntil !== undefined && x.keepUntil <= end,
        ...(x.purgedAt ? { removedAt: x.purgedAt } : {}),
      };
    });

  // 4. Data-subject requests received in the period.
  const firstDay = localDate(o.from, tz);
  const lastDay = localDate(o.to - 1, tz);
  const today = localDate(end, tz);
  const items: ReportRequest[] = (await register.listRightsRequests())
    .filter((r) => r.receivedOn >= firstDay && r.receivedOn <= lastDay && visible(r.cameras, hiddenIds, shown, o))
    .map((r: RightsRequest) => {
      const due = effectiveDue(r);
      const answeredOn = r.answeredAt ? localDate(Date.parse(r.answeredAt), tz) : undefined;
      const daysTaken = daysBetween(r.receivedOn, answeredOn ?? today);
      return {
        id: r.id,
        type: r.type,
        state: r.state,
        receivedOn: r.receivedOn,
        dueOn: due,
        ...(answeredOn ? { answeredOn } : {}),
        daysTaken,
        deadlineDays: daysBetween(r.receivedOn, due),
        answered: answeredOn !== undefined,
        onTime: (answeredOn ?? today) <= due,
        extended: r.extendedDueOn !== undefined,
        ...(r.extensionReason ? { extensionReason: r.extensionReason } : {}),
      };
    });
  const byType: Record<string, RequestTally> = {};
  for (const type of RIGHTS_TYPES) {
    const of = items.filter((r) => r.type === type);
    byType[type] = {
      received: of.length,
      answered: of.filter((r) => r.answered).length,
      onTime: of.filter((r) => r.answered && r.onTime).length,
      late: of.filter((r) => !r.onTime).length,
      open: of.filter((r) => !r.answered).length,
    };
  }

  // 5. Rules: the compliance check now and at the period's start, document versions, revision dates.
  const hideFindings = (c: Awaited<ReturnType<typeof complianceReport>>, at: number): ComplianceSnapshot => {
    const findings = c.findings
      .filter((f) => o.confidential || !f.subject || !hiddenIds.has(f.subject))
      .map((f) => ({ rule: f.rule, severity: f.severity, message: f.messages[o.lang] ?? f.message, ...(f.subject ? { subject: f.subject } : {}) }));
    return { at: iso(at), errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length, findings };
  };
  const checkConfig = { ...config, cameras: schoolCameras };
  const now = hideFindings(await complianceReport(checkConfig, register, { now: end, lang: o.lang }), end);
  const atStart = hideFindings(await complianceReport(checkConfig, register, { now: o.from, lang: o.lang }), o.from);
  const documents: ReportModel['rules']['documents'] = [];
  for (const document of DOCUMENTS) {
    for (const v of await register.documentVersions(document)) {
      if (inPeriod(v.createdAt, o)) documents.push({ document, version: v.version, status: v.status, createdAt: v.createdAt });
    }
  }
  const reviews = Object.entries((config as { documents?: Record<string, { revisionDate?: string } | undefined> }).documents ?? {})
    .filter(([, s]) => s?.revisionDate)
    .map(([document, s]) => ({ document, revisionDate: s!.revisionDate!, due: s!.revisionDate! <= lastDay }));

  // 6. Proof: the audit chain as `audit verify` reports it, against the newest anchor in the storages.
  const verification = await verifyRegister(config, register);
  const lastEntry = (await register.auditEntries({ limit: 1 })).at(-1);
  const anchor = verification.anchor;

  return {
    title: { school: config.school.name, schools: o.schools ?? [] },
    period: { from: iso(o.from), to: iso(o.to), firstDay, lastDay },
    generatedAt: iso(o.now),
    timeZone: tz,
    confidential: o.confidential ?? false,
    retention: { cameras: retention },
    deletions: {
      nights: nightList,
      totals: { runs: runEntries.length, files: nightList.reduce((n, x) => n + x.files, 0), bytes: nightList.reduce((n, x) => n + x.bytes, 0) },
      refusals,
      settled,
      failedRuns,
    },
    holds,
    exports,
    requests: { items, byType },
    rules: { now, atStart, documents, reviews },
    proof: {
      intact: verification.ok,
      entries: verification.entries,
      ...(verification.broken ? { broken: verification.broken } : {}),
      tamperedRuns: verification.tamperedRuns.length,
      ...(anchor ? { anchor: { storage: anchor.storage, seq: anchor.seq, hash: anchor.hash, at: anchor.at } } : {}),
      ...(verification.anchorProblem ? { anchorProblem: verification.anchorProblem } : {}),
      ...(lastEntry ? { lastHash: lastEntry.hash } : {}),
    },
  };
}

/** The median time between consecutive segment starts (0 with fewer than two). */
function medianSpacing(starts: number[]): number {
  if (starts.length < 2) return 0;
  const sorted = [...starts].sort((a, b) => a - b);
  const steps = sorted.slice(1).map((s, i) => s - sorted[i]!).sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)]!;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
