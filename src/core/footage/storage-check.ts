// `storage check`: can each storage be read, and what keeps its footage from being deleted by anyone but the purge.
// A bucket without Object Lock is reported as not tamper-proof: holds then live in the register only, and anyone with
// the bucket's keys can delete held footage with another tool.
import { isFileStorage, type Config } from '../config/index.js';
import { UsageError } from '../errors.js';
import type { StoreProtection } from '../storage/index.js';
import { storageViews } from './rules.js';

export interface StorageCheck {
  id: string;
  school?: string;
  type: 'fs' | 's3';
  root: string;
  ok: boolean;
  problem?: string;
  protection?: StoreProtection;
}

const FS_PROTECTION: StoreProtection = {
  kind: 'fs',
  versioning: null,
  objectLock: false,
  tamperProof: false,
  notes: ['a file tree: holds are kept by the register; anyone with write access to the folder can delete held footage with another tool'],
};

export async function checkStorages(config: Config, only?: readonly string[]): Promise<StorageCheck[]> {
  const unknown = (only ?? []).filter((id) => !config.storage.some((s) => s.id === id));
  if (unknown.length) throw new UsageError('storage.unknown', `Unknown storage ${unknown.join(', ')}; the config has: ${config.storage.map((s) => s.id).join(', ') || '(no storage)'}.`);
  const types = new Map(config.storage.filter(isFileStorage).map((s) => [s.id, s.type]));
  const out: StorageCheck[] = [];
  for (const view of storageViews(config, only?.length ? only : undefined)) {
    const type = types.get(view.id) ?? 'fs';
    const entry: StorageCheck = { id: view.id, ...(view.school ? { school: view.school } : {}), type, root: view.root, ok: false };
    out.push(entry);
    try {
      const check = await view.store.check();
      entry.ok = check.ok;
      if (check.problem) entry.problem = check.problem;
      if (check.ok) entry.protection = view.store.protection ? await view.store.protection() : FS_PROTECTION;
    } catch (error) {
      // Missing or unsafe keys are a configuration problem (exit 2), not a storage that cannot be read.
      if (error instanceof UsageError) throw error;
      entry.ok = false;
      entry.problem = (error as Error).message;
    }
  }
  return out;
}
