// Human view of holds.
import type { Config } from '../../core/config/index.js';
import type { HoldCoverage, HoldListing, LegalHoldReport } from '../../core/footage/index.js';
import type { Hold } from '../../core/register/index.js';
import { formatLocalShort } from '../../core/time/index.js';
import { bySchoolSections } from './schools.js';
import { colour, formatBytes, plural, shown, table } from '../format.js';

/** A hold in --json: its range as ISO 8601 instants, like every other time in the JSON output. */
export type HoldJson<H extends Hold = Hold> = Omit<H, 'from' | 'to'> & { from: string; to: string };
export function holdJson<H extends Hold>(h: H): HoldJson<H> {
  return { ...h, from: new Date(h.from).toISOString(), to: new Date(h.to).toISOString() };
}
export function holdListingJson(listing: HoldListing): Omit<HoldListing, 'holds'> & { holds: HoldJson<HoldListing['holds'][number]>[] } {
  return { ...listing, holds: listing.holds.map(holdJson) };
}

/** The holds; in a board's config one table per school, headed by the school's name. */
export function renderHolds(listing: HoldListing, config: Config): string {
  const timeZone = config.school.timezone;
  if (!listing.holds.length) return 'No holds.';
  if (!listing.bySchool) return holdsTable(listing.holds, timeZone);
  return bySchoolSections(config, listing.bySchool, listing.holds, (items) => holdsTable(items, timeZone));
}

function holdsTable(holds: Hold[], timeZone: string): string {
  return table(
    ['hold', 'status', 'case', 'cameras', 'from', 'to', 'by', 'reason'],
    holds.map((h) => [
      h.id,
      h.releasedAt ? colour.dim(`released ${h.releasedAt.slice(0, 10)}`) : colour.green('active'),
      shown(h.caseRef),
      h.cameras.join(','),
      formatLocalShort(h.from, timeZone, true),
      formatLocalShort(h.to, timeZone, true),
      shown(h.createdBy.user),
      shown(h.reason),
    ]),
  );
}

export function renderHold(h: Hold & { objectLock?: LegalHoldReport[]; coverage?: HoldCoverage; unpreserved?: { message: string }[] }, timeZone: string): string {
  const lines = [
    `${colour.bold(h.id)}  ${h.releasedAt ? `released ${formatLocalShort(Date.parse(h.releasedAt), timeZone, true)} by ${shown(h.releasedBy?.user)}: ${shown(h.releaseReason)}` : colour.green('active')}`,
    `  case     ${shown(h.caseRef)} (${h.kind})`,
    `  cameras  ${h.cameras.join(', ')}`,
    `  range    ${formatLocalShort(h.from, timeZone, true)} – ${formatLocalShort(h.to, timeZone, true)} (${timeZone})`,
    `  reason   ${shown(h.reason)}`,
    `  placed   ${formatLocalShort(Date.parse(h.createdAt), timeZone, true)} by ${shown(h.createdBy.user)}@${shown(h.createdBy.host)}`,
  ];
  if (h.coverage) lines.push(`  keeps    ${coverageLine(h.coverage)}`);
  for (const o of h.objectLock ?? []) lines.push(`  ${o.storage.padEnd(8)} ${legalHoldLine(o)}`);
  for (const u of h.unpreserved ?? []) lines.push(colour.yellow(`  warning: ${u.message}`));
  return lines.join('\n');
}

/** "3 segments (12.4 MB) now: entree 2 (8.1 MB), aula 1 (4.3 MB)". */
export function coverageLine(c: HoldCoverage): string {
  const per = c.cameras.map((r) => (r.unreadable ? `${r.camera} unknown` : `${r.camera} ${formatCountOnly(r.segments)} (${formatBytes(r.bytes)})`));
  return `${plural(c.segments, 'segment')} (${formatBytes(c.bytes)}) now${c.cameras.length > 1 ? `: ${per.join(', ')}` : ''}`;
}

const formatCountOnly = (n: number): string => n.toLocaleString('en-US');

/** What a hold did with the S3 legal holds of one storage. */
export function legalHoldLine(o: LegalHoldReport): string {
  if (!o.objectLock) return colour.yellow('no Object Lock on this bucket: only the register keeps this footage (not tamper-proof)');
  const parts =
    o.lifted !== undefined
      ? [`${o.lifted} legal holds lifted`, ...(o.keptForOtherHolds ? [`${o.keptForOtherHolds} left on for other active holds`] : [])]
      : [`${o.placed} object versions put under an S3 legal hold`, ...(o.alreadyOn ? [`${o.alreadyOn} were under one already`] : [])];
  if (o.foreign) parts.push(colour.yellow(`${o.foreign} under a legal hold toezicht did not place (respected, never lifted by toezicht)`));
  for (const e of o.errors.slice(0, 3)) parts.push(colour.red(e));
  return parts.join('; ');
}
