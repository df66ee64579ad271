// Every disclosure of footage (an export handed to the police, a copy for a data subject …) is separate processing
// that the school must be able to account for (LEGAL §5: date, recipient, reason, which footage, how it was sent).
// The audit chain holds them; these rows are what the privacy officer's spreadsheet needs.
import type { AuditEntry } from './types.js';

/** Audit actions that disclose footage. Append the action of any new feature that hands footage out. */
export const DISCLOSURE_ACTIONS: readonly string[] = ['export.create'];

export interface DisclosureRow {
  seq: number;
  at: string;
  user: string;
  sudoUser: string;
  host: string;
  action: string;
  reference: string;
  case: string;
  recipient: string;
  reason: string;
  legalBasis: string;
  cameras: string;
  from: string;
  to: string;
  manifestSha256: string;
  location: string;
  encryptedFor: string;
  hold: string;
  /** Every other detail, as JSON. */
  details: string;
}

const KNOWN = new Set(['exportId', 'case', 'recipient', 'reason', 'legalBasis', 'cameras', 'from', 'to', 'manifestSha256', 'packageDir', 'encryptedTo', 'holdId']);

const text = (v: unknown): string => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join(' ') : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function disclosureRows(entries: AuditEntry[]): DisclosureRow[] {
  return entries.map((e) => {
    const d = e.details;
    const rest = Object.fromEntries(Object.entries(d).filter(([k]) => !KNOWN.has(k)));
    return {
      seq: e.seq,
      at: e.at,
      user: e.actor.user,
      sudoUser: e.actor.sudoUser ?? '',
      host: e.actor.host,
      action: e.action,
      reference: text(d.exportId),
      case: text(d.case),
      recipient: text(d.recipient),
      reason: text(d.reason),
      legalBasis: text(d.legalBasis),
      cameras: text(d.cameras),
      from: text(d.from),
      to: text(d.to),
      manifestSha256: text(d.manifestSha256),
      location: text(d.packageDir),
      encryptedFor: text(d.encryptedTo),
      hold: text(d.holdId),
      details: Object.keys(rest).length ? JSON.stringify(rest) : '',
    };
  });
}
