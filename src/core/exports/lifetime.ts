// Evidence packages are copies of personal data with a lifetime (seed 001 §1.4 lid 3: footage of an incident is
// kept while it is handled and destroyed once it is closed). Pure: when a package expires, and what keeps it.
import type { ExportRecord, Hold } from '../register/index.js';

export interface ExportLifetime {
  /** When it may be removed (ms), or null while nothing says (its hold is active, or no retention is set). */
  expiresAt: number | null;
  /** An active hold of its case keeps it, whatever its date says. */
  heldBy?: string;
  /** In words, for lists. */
  rule: string;
}

/** The active holds that keep a package: its own hold, or any active hold of the same case. */
export function holdsKeeping(record: ExportRecord, holds: readonly Hold[]): Hold[] {
  return holds.filter((h) => !h.releasedAt && (h.id === record.holdId || (record.caseRef !== undefined && h.caseRef === record.caseRef)));
}

export function exportLifetime(record: ExportRecord, holds: readonly Hold[]): ExportLifetime {
  const keeping = holdsKeeping(record, holds);
  const own = record.holdId ? holds.find((h) => h.id === record.holdId) : undefined;
  if (keeping.length) {
    return {
      expiresAt: record.keepUntil ?? null,
      heldBy: keeping[0]!.id,
      rule: `kept while hold ${keeping.map((h) => h.id).join(', ')} is active${record.keepUntil !== undefined ? `, then until ${new Date(record.keepUntil).toISOString()}` : ''}`,
    };
  }
  if (record.keepUntil !== undefined) return { expiresAt: record.keepUntil, rule: `until ${new Date(record.keepUntil).toISOString()}` };
  if (own?.releasedAt) return { expiresAt: Date.parse(own.releasedAt), rule: `until hold ${own.id} was released (${own.releasedAt})` };
  return { expiresAt: null, rule: 'no expiry: no retention applies; remove it by hand once it is no longer needed' };
}

export function isExpired(lifetime: ExportLifetime, now: number): boolean {
  return lifetime.heldBy === undefined && lifetime.expiresAt !== null && lifetime.expiresAt <= now;
}
