// Holds: footage of an incident or a request is kept past its retention until the hold is released
// (seed 001 §1.4 lid 3: kept while the incident is handled, destroyed once it is closed).
import { BOARD_GROUP, camerasOfSchools, idsBySchool, requireCamerasInSchools, requireSchools, schoolsOfCameras, type Config } from '../config/index.js';
import { RefusalError, ToezichtError, UsageError } from '../errors.js';
import { liftLegalHolds, placeLegalHolds, type LegalHoldReport } from './legal-holds.js';
import { recordHoldAtStorages } from './register-guard.js';
import type { Hold, HoldKind, Register } from '../register/index.js';
import { findSegments } from '../storage/index.js';
import { parseInstant } from '../time/index.js';
import { storageViews } from './rules.js';

export interface HoldRequest {
  /** The cameras; with `schools` and no cameras, every camera of those schools. */
  cameras: string[];
  /** `--school` (a board's config): the cameras must belong to these schools. */
  schools?: string[];
  /** As typed: ISO date or date-time; without an offset it is the school's local time. */
  from: string;
  to: string;
  caseRef: string;
  reason: string;
  kind?: HoldKind;
}

/** Reads a range as typed, widening it where a local time is ambiguous: a hold never covers less than asked. */
export function parseRange(config: Config, from: string, to: string): { from: number; to: number } {
  const tz = config.school.timezone;
  const start = parseInstant(from, tz, { dateOnly: 'start', resolve: 'earlier' });
  if (start === undefined) throw new UsageError('range.from', `--from "${from}" is not a date or time; use ISO 8601, e.g. 2026-10-20T08:00 (school time) or 2026-10-20T06:00Z.`);
  const end = parseInstant(to, tz, { dateOnly: 'end', resolve: 'later' });
  if (end === undefined) throw new UsageError('range.to', `--to "${to}" is not a date or time; use ISO 8601, e.g. 2026-10-20T09:30 (school time) or 2026-10-20T07:30Z.`);
  if (end <= start) throw new UsageError('range.order', `--to (${to}) must be after --from (${from}).`);
  return { from: start, to: end };
}

/** The cameras are named and known; with `--school` (a board's config), each belongs to one of those schools. */
export function requireCameras(config: Config, ids: string[], schools?: readonly string[]): void {
  if (!ids.length) throw new UsageError('camera.missing', 'Name at least one camera with --camera ID.');
  const known = config.cameras.map((c) => c.id);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length) {
    throw new UsageError(
      'camera.unknown',
      `Unknown camera${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; the config has: ${known.join(', ') || '(no cameras)'}.`,
    );
  }
  requireCamerasInSchools(config, ids, schools);
}

/** What a new hold keeps now: per camera the segments on its storage in the range, their bytes, and what is gone. */
export interface HoldCoverage {
  cameras: { camera: string; segments: number; bytes: number; purgedFiles: number; unreadable?: string }[];
  segments: number;
  bytes: number;
  /** Said to the person who placed the hold: the range was purged already, an identical hold exists, nothing is there. */
  warnings: string[];
}

/** A hold as added or released, with what happened to the S3 legal holds of its footage (buckets with Object Lock). */
export type HoldResult = Hold & {
  objectLock?: LegalHoldReport[];
  /** What could not be written beside the footage (its hold record, the chain's anchor); the register's hold stands. */
  storageProblems?: string[];
  /** Cameras on a recorder, whose footage the recorder may overwrite whatever the register says. */
  unpreserved?: { camera: string; storage: string; message: string }[];
  /** What the hold keeps now (hold add). */
  coverage?: HoldCoverage;
};

function formatUtcRange(range: { from: number; to: number }): string {
  return `${new Date(range.from).toISOString()} – ${new Date(range.to).toISOString()}`;
}

/** Counts the footage a hold on `cameras` over [from, to] keeps now (the purge's rule: a segment touching it). */
export async function holdCoverage(config: Config, register: Register, hold: Pick<Hold, 'cameras' | 'from' | 'to'>): Promise<HoldCoverage> {
  const views = storageViews(config);
  const rows: HoldCoverage['cameras'] = [];
  for (const id of hold.cameras) {
    const camera = config.cameras.find((c) => c.id === id);
    const view = camera?.storage ? views.find((v) => v.id === camera.storage) : undefined;
    const purgedFiles = (await register.deletionsInRange(id, hold.from, hold.to)).reduce((n, d) => n + d.files, 0);
    if (!camera || !view) {
      rows.push({ camera: id, segments: 0, bytes: 0, purgedFiles, unreadable: 'no storage in the config' });
      continue;
    }
    const check = await view.store.check();
    if (!check.ok) {
      rows.push({ camera: id, segments: 0, bytes: 0, purgedFiles, unreadable: `storage ${view.id}: ${check.problem}` });
      continue;
    }
    const { segments } = await findSegments(view, camera.path, hold.from, hold.to);
    let bytes = 0;
    const byDir = new Map<string, string[]>();
    for (const seg of segments) {
      const slash = seg.relPath.lastIndexOf('/');
      const dir = slash < 0 ? '' : seg.relPath.slice(0, slash);
      if (!byDir.has(dir)) byDir.set(dir, []);
      byDir.get(dir)!.push(seg.relPath.slice(slash + 1));
    }
    for (const [dir, names] of byDir) for (const size of await view.store.sizes(dir, names)) bytes += size ?? 0;
    rows.push({ camera: id, segments: segments.length, bytes, purgedFiles });
  }
  const warnings: string[] = [];
  for (const r of rows) {
    if (r.unreadable) warnings.push(`${r.camera}: what the hold covers could not be counted (${r.unreadable}); the hold is placed all the same`);
    else if (!r.segments && r.purgedFiles) warnings.push(`${r.camera}: the range was purged already (${r.purgedFiles} file${r.purgedFiles === 1 ? '' : 's'} deleted before this hold); the hold keeps nothing of it`);
    else if (r.purgedFiles) warnings.push(`${r.camera}: part of the range was purged already (${r.purgedFiles} file${r.purgedFiles === 1 ? '' : 's'} deleted before this hold)`);
    else if (!r.segments) warnings.push(`${r.camera}: there is no footage in the range now; check the camera and the times (school time without an offset)`);
  }
  return { cameras: rows, segments: rows.reduce((n, r) => n + r.segments, 0), bytes: rows.reduce((n, r) => n + r.bytes, 0), warnings };
}

/** Active holds with the same cameras and range as a new one (a second `hold add` of the same thing). */
async function identicalHolds(register: Register, cameras: string[], range: { from: number; to: number }): Promise<Hold[]> {
  const key = [...cameras].sort().join(',');
  return (await register.listHolds()).filter((h) => !h.releasedAt && h.from === range.from && h.to === range.to && [...h.cameras].sort().join(',') === key);
}

export async function addHold(config: Config, register: Register, request: HoldRequest): Promise<HoldResult> {
  const cameras = holdCameras(config, request);
  requireCameras(config, cameras, request.schools);
  if (!request.caseRef.trim()) throw new UsageError('hold.case', 'A hold needs --case: the incident or request it is for.');
  if (!request.reason.trim()) throw new UsageError('hold.reason', 'A hold needs --reason: why the footage must be kept.');
  const range = parseRange(config, request.from, request.to);
  // The audit entry says whose footage is held (the board's own cameras belong to no school).
  const schools = schoolsOfCameras(config, cameras).filter((school) => school !== BOARD_GROUP);
  const twins = await identicalHolds(register, cameras, range);
  const hold = await register.addHold({ kind: request.kind ?? 'case', caseRef: request.caseRef.trim(), reason: request.reason.trim(), cameras, ...range, ...(schools.length ? { schools } : {}) });
  // The register's hold comes first: from here on the purge keeps this footage, whatever the object store says.
  const objectLock = await placeLegalHolds(config, register, hold);
  // Then beside the footage: a register that later loses this hold cannot release its footage.
  const storageProblems = await recordHoldAtStorages(config, register, hold);
  // A recorder overwrites its oldest footage on its own schedule: the register's hold does not stop it.
  const unpreserved = cameras.flatMap((id) => {
    const storage = config.storage.find((s) => s.type === 'recorder' && s.id === config.cameras.find((c) => c.id === id)?.storage);
    return storage ? [{ camera: id, storage: storage.id, message: `camera ${id} is on recorder ${storage.id}, which overwrites its oldest footage on its own schedule; lock ${formatUtcRange(range)} of its recording on the recorder, or export it now (toezicht does not yet copy it into preserveTo)` }] : [];
  });
  const coverage = await holdCoverage(config, register, hold);
  for (const t of twins) coverage.warnings.push(`hold ${t.id} (case ${t.caseRef}) already keeps exactly these cameras and times; release one of them when its case is closed`);
  return { ...hold, ...(objectLock.length ? { objectLock } : {}), ...(storageProblems.length ? { storageProblems } : {}), ...(unpreserved.length ? { unpreserved } : {}), coverage };
}

/**
 * Releases a hold. With a config, the S3 legal holds it placed are lifted first; if that fails the hold stays active
 * (and its footage safe) and the release can simply be run again.
 */
export async function releaseHold(register: Register, id: string, reason: string, config?: Config, options: { schools?: string[] } = {}): Promise<HoldResult> {
  if (!reason.trim()) throw new UsageError('hold.release-reason', 'Releasing a hold needs --reason: why the incident is closed.');
  if (options.schools?.length) {
    if (!config) throw new UsageError('school.config', 'Releasing a hold with --school needs the config that names the schools.');
    await requireHoldInSchools(config, register, id, options.schools);
  }
  let objectLock: LegalHoldReport[] = [];
  if (config) {
    const hold = await register.getHold(id);
    // Released already (by a request's close, or while a storage was away): write the release beside the footage
    // now, signed by whoever runs this; the register is not changed again.
    if (hold?.releasedAt) {
      const storageProblems = await recordHoldAtStorages(config, register, hold);
      return { ...hold, ...(storageProblems.length ? { storageProblems } : {}) };
    }
    if (hold && !hold.releasedAt) {
      try {
        objectLock = await liftLegalHolds(config, register, hold);
      } catch (error) {
        if (error instanceof ToezichtError) throw error;
        throw new ToezichtError('hold.object-lock', `${(error as Error).message}.`, { cause: error });
      }
    }
  }
  const released = await register.releaseHold(id, reason.trim());
  // The storages learn of the release last: until then they keep the footage (the safe side of a failure).
  const storageProblems = config ? await recordHoldAtStorages(config, register, released) : [];
  return { ...released, ...(objectLock.length ? { objectLock } : {}), ...(storageProblems.length ? { storageProblems } : {}) };
}

/** `hold add --school X` without `--camera`: every camera of the named schools. */
function holdCameras(config: Config, request: HoldRequest): string[] {
  const cameras = [...new Set(request.cameras)];
  if (cameras.length) return cameras;
  if (!request.schools?.length) {
    throw new UsageError('camera.missing', `Name the cameras to hold with --camera ID${config.schools.length ? ", or a school's cameras with --school ID" : ''}.`);
  }
  const schools = requireSchools(config, request.schools);
  const all = camerasOfSchools(config, schools);
  if (!all.length) throw new UsageError('school.no-cameras', `School ${schools.join(', ')} has no cameras in the config; nothing to hold.`);
  return all;
}

/**
 * `hold release --school X`: refuses a hold that touches none of X's cameras, so that the admin of one school does
 * not release another school's hold by mistake.
 */
async function requireHoldInSchools(config: Config, register: Register, id: string, schools: string[]): Promise<void> {
  const wanted = requireSchools(config, schools);
  const hold = await register.getHold(id);
  if (!hold) return; // the register's own "no such hold" follows
  const touched = schoolsOfCameras(config, hold.cameras);
  if (!touched.some((s) => wanted.includes(s))) {
    const named = touched.filter((s) => s !== BOARD_GROUP);
    const where = [...(named.length ? [`cameras of ${named.length > 1 ? 'schools' : 'school'} ${named.join(', ')}`] : []), ...(touched.includes(BOARD_GROUP) ? ["the board's own cameras"] : [])].join(' and ');
    throw new RefusalError(
      'hold.other-school',
      `Hold ${id} is on ${where} (${hold.cameras.join(', ')}), none of ${wanted.length > 1 ? 'schools' : 'school'} ${wanted.join(', ')}, so it was not released; check the id, or ${named.length ? `name its school with --school ${named[0]}` : 'leave out --school to release it'}.`,
    );
  }
}

/** A hold as listed: in a board's config, with the schools whose cameras it holds. */
export type ListedHold = Hold & { schools?: string[] };

export interface HoldListing {
  holds: ListedHold[];
  /** A board's config: the hold ids per school (a hold on cameras of two schools is under both), in config order. */
  bySchool?: Record<string, string[]>;
}

/** `footage hold list`: active holds (with `all`, released ones too); with `schools`, those touching their cameras. */
export async function listHolds(config: Config, register: Register, options: { all?: boolean; schools?: string[] } = {}): Promise<HoldListing> {
  const wanted = options.schools?.length ? requireSchools(config, options.schools) : undefined;
  const all = await register.listHolds({ includeReleased: options.all ?? false });
  if (!config.schools.length) return { holds: all };
  const holds: ListedHold[] = [];
  for (const h of all) {
    const schools = schoolsOfCameras(config, h.cameras);
    if (wanted && !schools.some((s) => wanted.includes(s))) continue;
    holds.push({ ...h, schools });
  }
  const bySchool = idsBySchool(config, holds.map((h) => ({ id: h.id, schools: h.schools! })), wanted);
  return { holds, bySchool };
}
