// Human view of holds.
import type { Hold } from '../../core/register/index.js';
import { formatLocalShort } from '../../core/time/index.js';
import { colour, table } from '../format.js';

export function renderHolds(holds: Hold[], timeZone: string): string {
  if (!holds.length) return 'No holds.';
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

export function renderHold(h: Hold, timeZone: string): string {
  const lines = [
    `${colour.bold(h.id)}  ${h.releasedAt ? `released ${h.releasedAt} by ${h.releasedBy?.user}: ${h.releaseReason}` : colour.green('active')}`,
    `  case     ${h.caseRef} (${h.kind})`,
    `  cameras  ${h.cameras.join(', ')}`,
    `  range    ${formatLocalShort(h.from, timeZone, true)} – ${formatLocalShort(h.to, timeZone, true)} (${timeZone})`,
    `  reason   ${h.reason}`,
    `  placed   ${h.createdAt} by ${h.createdBy.user}@${h.createdBy.host}`,
  ];
  return lines.join('\n');
}
