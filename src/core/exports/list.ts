// `footage exports`: past exports (and redaction reviews) with their lifetime, and whether the package is still
// where it was written.
import { lstat } from 'node:fs/promises';
import type { ExportRecord, Register } from '../register/index.js';
import { exportLifetime, isExpired } from './lifetime.js';

export interface ListedExport extends Omit<ExportRecord, 'from' | 'to' | 'keepUntil'> {
  from: string;
  to: string;
  keepUntil: string | null;
  expiresAt: string | null;
  heldBy: string | null;
  expired: boolean;
  lifetime: string;
  /** The package folder exists. */
  present: boolean;
}

export interface ExportListing {
  now: string;
  exports: ListedExport[];
}

export async function listExports(register: Register, options: { now: number; expired?: boolean; all?: boolean }): Promise<ExportListing> {
  const holds = await register.listHolds({ includeReleased: true });
  const records = await register.listExports(options.all ? {} : { statuses: ['done', 'review'] });
  const exports: ListedExport[] = [];
  for (const r of records) {
    const life = exportLifetime(r, holds);
    const expired = (r.status === 'done' || r.status === 'review') && isExpired(life, options.now);
    if (options.expired && !expired) continue;
    const { from, to, keepUntil, ...rest } = r;
    exports.push({
      ...rest,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      keepUntil: keepUntil === undefined ? null : new Date(keepUntil).toISOString(),
      expiresAt: life.expiresAt === null ? null : new Date(life.expiresAt).toISOString(),
      heldBy: life.heldBy ?? null,
      expired,
      lifetime: life.rule,
      present: await lstat(r.packageDir).then(() => true, () => false),
    });
  }
  return { now: new Date(options.now).toISOString(), exports };
}
