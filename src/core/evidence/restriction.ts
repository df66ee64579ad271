// Footage under a restriction (AVG art. 18, placed by `rights fulfil` on a restriction request) is kept but not
// otherwise used: an export of it is refused unless the operator overrides the restriction with a reason (e.g. the
// data subject's consent, or a legal claim, art. 18(2)). The refusal and the override are both recorded.
import { RefusalError } from '../errors.js';
import type { Hold, Register } from '../register/index.js';

/** Active restriction holds on any of the cameras that touch the range. */
export async function restrictionsOn(register: Register, cameras: readonly string[], range: { from: number; to: number }): Promise<Hold[]> {
  return (await register.listHolds()).filter(
    (h) => h.kind === 'restriction' && h.cameras.some((c) => cameras.includes(c)) && h.from <= range.to && h.to >= range.from,
  );
}

/**
 * Throws a refusal (after recording it) when restricted footage is asked for without an override; returns what the
 * export's audit entry records about an override.
 */
export async function requireUnrestricted(
  register: Register,
  attempt: Record<string, unknown> & { cameras: string[] },
  range: { from: number; to: number },
  override: string | undefined,
): Promise<{ overrideRestriction?: { reason: string; holds: string[] } }> {
  const holds = await restrictionsOn(register, attempt.cameras, range);
  if (!holds.length) return {};
  const ids = holds.map((h) => h.id);
  const reason = override?.trim();
  if (reason) return { overrideRestriction: { reason, holds: ids } };
  await register.appendAudit('export.refused', { ...attempt, reason: 'restricted footage', holds: ids });
  throw new RefusalError(
    'export.restricted',
    `The footage is restricted (AVG art. 18) by ${holds.map((h) => `hold ${h.id} of ${h.caseRef}`).join(', ')}, so it may be kept but not exported; nothing was written. Only with the data subject's consent or for a legal claim, export it with --override-restriction "<reason>" (recorded).`,
  );
}
