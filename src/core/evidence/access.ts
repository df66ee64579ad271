// Seed 001 §1.2 lid 3: only staff whose function needs it (the system's beheerder and the school management) operate
// the system and view footage. An export discloses footage, so the config names the OS users who may make one;
// anyone else is refused, and the attempt is recorded.
import type { Config } from '../config/index.js';
import { RefusalError } from '../errors.js';
import type { Actor, Register } from '../register/index.js';

export interface AccessDecision {
  allowed: boolean;
  /** The person, as the OS knows them (the user behind sudo when there is one). */
  who: string;
}

/** Allowed when the OS user, or the user who ran sudo, is listed in access.export. */
export function exportAccess(config: Config, actor: Actor): AccessDecision {
  const allowed = config.access.export ?? [];
  const who = actor.sudoUser ? `${actor.sudoUser} (as ${actor.user})` : actor.user;
  return { allowed: allowed.includes(actor.user) || (actor.sudoUser !== undefined && allowed.includes(actor.sudoUser)), who };
}

/** Throws a refusal (exit 2) after recording the attempt in the audit chain. */
export async function requireExportAccess(config: Config, register: Register, attempt: Record<string, unknown>): Promise<void> {
  const decision = exportAccess(config, register.actor);
  if (decision.allowed) return;
  const configured = config.access.export !== undefined;
  await register.appendAudit('export.refused', { ...attempt, reason: configured ? 'user not in access.export' : 'access.export is not set' });
  throw new RefusalError(
    'export.refused',
    configured
      ? `${decision.who} may not export footage: only the users in access.export may (seed 001 §1.2: staff whose function needs it). The attempt was recorded; ask the school's beheerder.`
      : `Nobody may export footage yet: list the OS users whose function needs it (the beheerder and the school management, seed 001 §1.2) under access.export in the config. The attempt was recorded.`,
  );
}
