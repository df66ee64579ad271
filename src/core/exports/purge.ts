// Removing evidence packages past their lifetime from the configured exports.root (held ones stay), as part of
// `footage purge`. Packages written elsewhere (a USB stick, a share) cannot be reached: they are listed for whoever
// holds them to destroy.
import { lstat, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/index.js';
import type { ExportRecord, Register } from '../register/index.js';
import { FolderChanged, folderId, removeTree } from '../storage/index.js';
import { REVIEW_FILE } from './review-file.js';
import { exportLifetime, isExpired } from './lifetime.js';
import { settleExports, type SettledExport } from './settle.js';

export interface ExportPurgeReport {
  root: string | null;
  removed: { id: string; path: string; expiredAt: string | null; alreadyGone?: boolean }[];
  held: { id: string; hold: string }[];
  /** Expired, but outside exports.root: toezicht does not touch them. */
  outside: { id: string; path: string; expiredAt: string }[];
  /** Not yet expired. */
  kept: number;
  settled: SettledExport[];
  errors: { id: string; path: string; message: string }[];
}

function inside(child: string, parent: string): boolean {
  return child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/**
 * A folder is only removed when it is what toezicht wrote: a real folder with a manifest or an encrypted archive
 * (a package), or with its review.json (a redaction review).
 */
async function looksLikePackage(dir: string, record: ExportRecord): Promise<string | undefined> {
  const st = await lstat(dir);
  if (!st.isDirectory()) return 'it is not a folder (a link or a file)';
  const names = await readdir(dir);
  if (record.status === 'review') return names.includes(REVIEW_FILE) ? undefined : `it holds no ${REVIEW_FILE} of this review`;
  if (!names.includes('manifest.json') && !names.includes(`${record.id}.tar.age`)) return 'it holds no manifest.json or encrypted archive of this export';
  return undefined;
}

export async function purgeExpiredExports(config: Config, register: Register, options: { now: number; dryRun?: boolean }): Promise<ExportPurgeReport> {
  const root = config.exports.root ?? null;
  const report: ExportPurgeReport = { root, removed: [], held: [], outside: [], kept: 0, settled: [], errors: [] };
  if (!options.dryRun) report.settled = await settleExports(register);
  const holds = await register.listHolds({ includeReleased: true });
  const realRoot = root ? await realpath(root).catch(() => undefined) : undefined;
  for (const record of await register.listExports({ statuses: ['done', 'review'] })) {
    const life = exportLifetime(record, holds);
    if (life.heldBy) {
      report.held.push({ id: record.id, hold: life.heldBy });
      continue;
    }
    if (!isExpired(life, options.now)) {
      report.kept++;
      continue;
    }
    const expiredAt = life.expiresAt === null ? null : new Date(life.expiresAt).toISOString();
    const parent = await realpath(path.dirname(record.packageDir)).catch(() => undefined);
    if (!realRoot || !parent || !(parent === realRoot || inside(parent, realRoot))) {
      report.outside.push({ id: record.id, path: record.packageDir, expiredAt: expiredAt ?? '' });
      continue;
    }
    const exists = await lstat(record.packageDir).then(() => true, () => false);
    if (!exists) {
      if (!options.dryRun) await register.markExportPurged(record.id, { path: record.packageDir, expiredAt, note: 'the package was already gone' });
      report.removed.push({ id: record.id, path: record.packageDir, expiredAt, alreadyGone: true });
      continue;
    }
    try {
      const problem = await looksLikePackage(record.packageDir, record);
      if (problem) {
        report.errors.push({ id: record.id, path: record.packageDir, message: `not removed: ${problem}` });
        continue;
      }
      if (!options.dryRun) {
        // Held by inode from exports.root down: a folder swapped for a link meanwhile stops the removal, and a link
        // inside the package is removed as a link, never followed.
        const parts = [...path.relative(realRoot, parent).split(path.sep).filter(Boolean), path.basename(record.packageDir)];
        await removeTree(realRoot, await folderId(realRoot), parts);
        await register.markExportPurged(record.id, { path: record.packageDir, expiredAt });
      }
      report.removed.push({ id: record.id, path: record.packageDir, expiredAt });
    } catch (error) {
      const why = error instanceof FolderChanged ? error.message : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
      report.errors.push({ id: record.id, path: record.packageDir, message: `cannot remove: ${why}` });
    }
  }
  return report;
}
