// An export killed mid-way leaves its work folder (a hidden `.toezicht-<id>.partial` beside where the package would
// be) and a register entry still "running". Whoever comes next — another export, the purge — settles it: a dead
// run's work folder is removed and the export recorded as interrupted; a run that had recorded its package but not
// yet moved it into place is finished.
import { lstat, realpath, rename } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { ExportRecord, Register } from '../register/index.js';
import { folderId, removeTree } from '../storage/index.js';

export interface SettledExport {
  id: string;
  outcome: 'interrupted' | 'completed';
  workDir: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isDir(p: string): Promise<boolean> {
  return (await lstat(p).catch(() => undefined))?.isDirectory() ?? false;
}

/** Only toezicht's own work folders are ever removed here. */
function ownWorkDir(record: ExportRecord): boolean {
  return path.dirname(record.workDir) === record.outDir && path.basename(record.workDir) === `.toezicht-${record.id}.partial`;
}

export async function settleExports(register: Register): Promise<SettledExport[]> {
  const settled: SettledExport[] = [];
  const host = hostname();
  for (const record of await register.listExports({ statuses: ['running', 'done', 'review'] })) {
    if (!ownWorkDir(record)) continue;
    if (record.status === 'done' || record.status === 'review') {
      // Recorded, but killed before the rename: finish it.
      if (!(await isDir(record.packageDir)) && (await isDir(record.workDir))) {
        await rename(record.workDir, record.packageDir);
        settled.push({ id: record.id, outcome: 'completed', workDir: record.workDir });
      }
      continue;
    }
    // Another machine's run cannot be checked from here; this one's is dead when its process is gone.
    if (record.createdBy.host !== host || (record.pid !== process.pid && alive(record.pid))) continue;
    if (record.pid === process.pid) continue;
    await removeWorkDir(record);
    await register.abandonExport(record.id, 'interrupted', `the export process (pid ${record.pid}) stopped before it finished; its unfinished files were removed`);
    settled.push({ id: record.id, outcome: 'interrupted', workDir: record.workDir });
  }
  return settled;
}

/** Removes a dead run's work folder, held by inode from its --out folder: a link swapped in is never followed. */
async function removeWorkDir(record: ExportRecord): Promise<void> {
  const out = await realpath(record.outDir).catch(() => undefined);
  if (!out) return;
  try {
    await removeTree(out, await folderId(out), [path.basename(record.workDir)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
