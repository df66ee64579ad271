// Human view of holds.
import type { Config } from '../../core/config/index.js';
import type { HoldListing, LegalHoldReport } from '../../core/footage/index.js';
import type { Hold } from '../../core/register/index.js';
import { formatLocalShort } from '../../core/time/index.js';
import { bySchoolSections } from './schools.js';
import { colour, table } from '../format.js';

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
      h.caseRef,
      h.cameras.join(','),
      formatLocalShort(h.from, timeZone, true),
      formatLocalShort(h.to, timeZone, true),
      h.createdBy.user,
      h.reason,
    ]),
  );
}

export function renderHold(h: Hold & { objectLock?: LegalHoldReport[]; unpreserved?: { message: string }[] }, timeZone: string): string {
  const lines = [
    `${colour.bold(h.id)}  ${h.releasedAt ? `released ${h.releasedAt} by ${h.releasedBy?.user}: ${h.releaseReason}` : colour.green('active')}`,
    `  case     ${h.caseRef} (${h.kind})`,
    `  cameras  ${h.cameras.join(', ')}`,
    `  range    ${formatLocalShort(h.from, timeZone, true)} – ${formatLocalShort(h.to, timeZone, true)} (${timeZone})`,
    `  reason   ${h.reason}`,
    `  placed   ${h.createdAt} by ${h.createdBy.user}@${h.createdBy.host}`,
  ];
  for (const o of h.objectLock ?? []) lines.push(`  ${o.storage.padEnd(8)} ${legalHoldLine(o)}`);
  for (const u of h.unpreserved ?? []) lines.push(colour.yellow(`  warning: ${u.message}`));
  return lines.join('\n');
}

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
