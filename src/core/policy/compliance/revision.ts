// When a document is due for revision: its own revision date, else a fixed period after adoption (or after the
// version the register keeps). Seed 001 sets a revision about two years after adoption; a DPIA is re-assessed
// about every three years (AP advice, LEGAL.md §3).
import { parseInstant } from '../../time/index.js';
import type { DocumentKind, DocumentStatusSettings } from './types.js';

export const REVISION_YEARS: Record<DocumentKind, number> = { reglement: 2, protocol: 2, sign: 2, letter: 2, dpia: 3 };
export const REVISION_SOURCE: Record<DocumentKind, string> = {
  reglement: 'OVO-protocol camera en video (revisiedatum)',
  protocol: 'OVO-protocol camera en video (revisiedatum)',
  sign: 'OVO-protocol camera en video (revisiedatum)',
  letter: 'OVO-protocol camera en video (revisiedatum)',
  dpia: 'AVG art. 35(11)',
};

/** The revision date as YYYY-MM-DD: the configured one, else adoption (or the version's date) plus the period. */
export function revisionDate(kind: DocumentKind, settings: DocumentStatusSettings | undefined, versionDate?: string): string | undefined {
  if (settings?.revisionDate) return settings.revisionDate.slice(0, 10);
  const from = settings?.adoptedOn?.slice(0, 10) ?? versionDate?.slice(0, 10);
  if (!from) return undefined;
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y + REVISION_YEARS[kind], m - 1, d));
  return date.toISOString().slice(0, 10);
}

/** True when the revision date lies before `now` (the whole revision day still counts as in time). */
export function revisionOverdue(date: string, now: number, timeZone: string): boolean {
  const end = parseInstant(date, timeZone, { dateOnly: 'end' });
  return end !== undefined && end <= now;
}
