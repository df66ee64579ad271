// `footage exports`: past exports (and redaction reviews) with their lifetime, and whether the package is still
// where it was written.
import { lstat } from 'node:fs/promises';
import { idsBySchool, requireSchools, schoolsOfCameras, type Config } from '../config/index.js';
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
  /** A board's config: the schools whose cameras were exported (as the config has them now). */
  schools?: string[];
}

export interface ExportListing {
  now: string;
  exports: ListedExport[];
  /** A board's config: the export ids per school (an export of cameras of two schools is under both), in config order. */
  bySchool?: Record<string, string[]>;
}

/** With a board's config, each export names its schools, and `schools` keeps those of their cameras only. */
export async function listExports(register: Register, options: { now: number; expired?: boolean; all?: boolean; schools?: string[] }, config?: Config): Promise<ExportListing> {
  const board = config?.schools.length ? config : undefined;
  if (options.schools?.length && !config) throw new TypeError('listExports: --school needs the config that names the schools');
  const wanted = options.schools?.length ? requireSchools(config!, options.schools) : undefined;
  const holds = await register.listHolds({ includeReleased: true });
  const records = await register.listExports(options.all ? {} : { statuses: ['done', 'review'] });
  const exports: ListedExport[] = [];
  for (const r of records) {
    const life = exportLifetime(r, holds);
    const expired = (r.status === 'done' || r.status === 'review') && isExpired(life, options.now);
    if (options.expired && !expired) continue;
    const schools = board ? schoolsOfCameras(board, r.cameras) : undefined;
    if (wanted && !schools!.some((s) => wanted.includes(s))) continue;
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
      ...(schools ? { schools } : {}),
    });
  }
  if (!board) return { now: new Date(options.now).toISOString(), exports };
  const bySchool = idsBySchool(board, exports.map((e) => ({ id: e.id, schools: e.schools! })), wanted);
  return { now: new Date(options.now).toISOString(), exports, bySchool };
}
