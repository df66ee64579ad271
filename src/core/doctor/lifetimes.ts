// Doctor's look ahead: holds open long (footage of a closed incident must go, OVO-protocol §1.4) and evidence packages
// whose lifetime ends soon or has ended.
import { exportLifetime } from '../exports/index.js';
import type { Register } from '../register/index.js';
import { check, type DoctorCheck } from './types.js';

const DAY = 86_400_000;

export interface LifetimeOptions {
  now: number;
  /** An export whose lifetime ends within this many days is named. */
  soonDays: number;
  /** A hold open longer than this many days is named, to be released once its case is closed. */
  longHoldDays: number;
}

export async function holdChecks(register: Register, o: LifetimeOptions): Promise<DoctorCheck[]> {
  const active = (await register.listHolds()).filter((h) => !h.releasedAt);
  const long = active.filter((h) => o.now - Date.parse(h.createdAt) > o.longHoldDays * DAY);
  if (!long.length) return [check('holds', 'ok', 'holds.ok', { active: active.length })];
  return long.map((h) =>
    check('holds', 'warn', 'holds.long', { hold: h.id, caseRef: h.caseRef, days: Math.floor((o.now - Date.parse(h.createdAt)) / DAY), since: h.createdAt.slice(0, 10) }),
  );
}

export async function exportChecks(register: Register, o: LifetimeOptions): Promise<DoctorCheck[]> {
  const holds = await register.listHolds({ includeReleased: true });
  const out: DoctorCheck[] = [];
  const records = await register.listExports({ statuses: ['done', 'review'] });
  for (const r of records) {
    const life = exportLifetime(r, holds);
    if (life.heldBy !== undefined || life.expiresAt === null) continue;
    const date = new Date(life.expiresAt).toISOString().slice(0, 10);
    if (life.expiresAt <= o.now) out.push(check('exports', 'warn', 'exports.expired', { export: r.id, date }));
    else if (life.expiresAt - o.now <= o.soonDays * DAY) out.push(check('exports', 'warn', 'exports.soon', { export: r.id, date, caseRef: r.caseRef ?? '' }));
  }
  return out.length ? out : [check('exports', 'ok', 'exports.ok', { count: records.length })];
}
