// Holds: footage of an incident or a request is kept past its retention until the hold is released
// (seed 001 §1.4 lid 3: kept while the incident is handled, destroyed once it is closed).
import { BOARD_GROUP, camerasOfSchools, idsBySchool, requireCamerasInSchools, requireSchools, schoolsOfCameras, type Config } from '../config/index.js';
import { RefusalError, ToezichtError, UsageError } from '../errors.js';
import { liftLegalHolds, placeLegalHolds, type LegalHoldReport } from './legal-holds.js';
import { recordHoldAtStorages } from './register-guard.js';
import type { Hold, HoldKind, Register } from '../register/index.js';
import { parseInstant } from '../time/index.js';

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

/** A hold as added or released, with what happened to the S3 legal holds of its footage (buckets with Object Lock). */
export type HoldResult = Hold & {
  objectLock?: LegalHoldReport[];
  /** What could not be written beside the footage (its hold record, the chain's anchor); the register's hold stands. */
  storageProblems?: string[];
};

export async function addHold(config: Config, register: Register, request: HoldRequest): Promise<HoldResult> {
  const cameras = holdCameras(config, request);
  requireCameras(config, cameras, request.schools);
  if (!request.caseRef.trim()) throw new UsageError('hold.case', 'A hold needs --case: the incident or request it is for.');
  if (!request.reason.trim()) throw new UsageError('hold.reason', 'A hold needs --reason: why the footage must be kept.');
  const range = parseRange(config, request.from, request.to);
  // The audit entry says whose footage is held (the board's own cameras belong to no school).
  const schools = schoolsOfCameras(config, cameras).filter((school) => school !== BOARD_GROUP);
  const hold = await register.addHold({ kind: request.kind ?? 'case', caseRef: request.caseRef.trim(), reason: request.reason.trim(), cameras, ...range, ...(schools.length ? { schools } : {}) });
  // The register's hold comes first: from here on the purge keeps this footage, whatever the object store says.
  const objectLock = await placeLegalHolds(config, register, hold);
  // Then beside the footage: a register that later loses this hold cannot release its footage.
  const storageProblems = await recordHoldAtStorages(config, register, hold);
  return { ...hold, ...(objectLock.length ? { objectLock } : {}), ...(storageProblems.length ? { storageProblems } : {}) };
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
