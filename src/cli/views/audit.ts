// Human view of audit entries: a head line per entry and its details as wrapped fields (JSON stays in --json).
import type { AuditEntry } from '../../core/register/index.js';
import { formatLocalShort } from '../../core/time/index.js';
import { colour, fields, shown } from '../format.js';

const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** A detail's value as one line of text: lists joined, small records as "key value" pairs. */
function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (isScalar(v)) return String(v);
  if (Array.isArray(v)) return v.map((x) => (isScalar(x) ? String(x) : `(${valueText(x)})`)).join(', ');
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k} ${valueText(x)}`)
    .join(' · ');
}

/** An entry's details as labelled fields; nested records one level deep get their own labels ("clips.0.file"). */
export function detailFields(details: Record<string, unknown>, skip: readonly string[] = ['digest']): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(details)) {
    if (skip.includes(k) || v === undefined) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(isScalar)) {
      for (const [k2, v2] of Object.entries(v)) out.push([`${k}.${k2}`, valueText(v2)]);
    } else out.push([k, valueText(v)]);
  }
  return out;
}

function who(e: AuditEntry): string {
  return shown(e.actor.sudoUser ? `${e.actor.user} (${e.actor.sudoUser})` : e.actor.user);
}

export function renderAuditEntries(entries: AuditEntry[], timeZone: string): string {
  if (!entries.length) return 'No audit entries.';
  return entries
    .map((e) => {
      const head = `${colour.bold(`#${e.seq}`)}  ${formatLocalShort(Date.parse(e.at), timeZone, true)}  ${who(e)}  ${colour.bold(e.action)}`;
      const body = detailFields(e.details);
      return body.length ? `${head}\n${colour.dim(fields(body, { indent: 4 }))}` : head;
    })
    .join('\n');
}
