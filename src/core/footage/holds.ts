// Holds: footage of an incident or a request is kept past its retention until the hold is released
// (seed 001 §1.4 lid 3: kept while the incident is handled, destroyed once it is closed).
import type { Config } from '../config/index.js';
import { ToezichtError, UsageError } from '../errors.js';
import { liftLegalHolds, placeLegalHolds, type LegalHoldReport } from './legal-holds.js';
import type { Hold, HoldKind, Register } from '../register/index.js';
import { parseInstant } from '../time/index.js';

export interface HoldRequest {
  cameras: string[];
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

export function requireCameras(config: Config, ids: string[]): void {
  if (!ids.length) throw new UsageError('camera.missing', 'Name at least one camera with --camera ID.');
  const known = config.cameras.map((c) => c.id);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length) {
    throw new UsageError(
      'camera.unknown',
      `Unknown camera${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; the config has: ${known.join(', ') || '(no cameras)'}.`,
    );
  }
}

/** A hold as added or released, with what happened to the S3 legal holds of its footage (buckets with Object Lock). */
export type HoldResult = Hold & { objectLock?: LegalHoldReport[] };

export async function addHold(config: Config, register: Register, request: HoldRequest): Promise<HoldResult> {
  requireCameras(config, request.cameras);
  if (!request.caseRef.trim()) throw new UsageError('hold.case', 'A hold needs --case: the incident or request it is for.');
  if (!request.reason.trim()) throw new UsageError('hold.reason', 'A hold needs --reason: why the footage must be kept.');
  const range = parseRange(config, request.from, request.to);
  const hold = await register.addHold({ kind: request.kind ?? 'case', caseRef: request.caseRef.trim(), reason: request.reason.trim(), cameras: request.cameras, ...range });
  // The register's hold comes first: from here on the purge keeps this footage, whatever the object store says.
  const objectLock = await placeLegalHolds(config, register, hold);
  return objectLock.length ? { ...hold, objectLock } : hold;
}

/**
 * Releases a hold. With a config, the S3 legal holds it placed are lifted first; if that fails the hold stays active
 * (and its footage safe) and the release can simply be run again.
 */
export async function releaseHold(register: Register, id: string, reason: string, config?: Config): Promise<HoldResult> {
  if (!reason.trim()) throw new UsageError('hold.release-reason', 'Releasing a hold needs --reason: why the incident is closed.');
  let objectLock: LegalHoldReport[] = [];
  if (config) {
    const hold = await register.getHold(id);
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
  return objectLock.length ? { ...released, objectLock } : released;
}
