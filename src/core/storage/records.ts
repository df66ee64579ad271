// toezicht's own small records kept with the footage: the register marker and the hold records (footage/
// register-guard.ts gives them their meaning). They live in one folder at the storage's root (a file tree) or under
// its prefix (a bucket), which the walk never lists: no layout reads them as footage and no purge deletes them.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The folder of toezicht's records at a storage's root (a bucket: under its prefix). */
export const RECORDS_FOLDER = '.toezicht';

/** Small text records by name ("register.json", "holds/H-2026-0001.json"), relative to RECORDS_FOLDER. */
export interface StoreRecords {
  /** The record's text, or undefined when there is none. */
  read(name: string): Promise<string | undefined>;
  /** Writes the record whole (a reader never sees half of it). */
  write(name: string, text: string): Promise<void>;
  /** The names of the records in a sub-folder ("holds"). */
  list(folder: string): Promise<string[]>;
}

function checkName(name: string): string[] {
  const parts = name.split('/');
  if (!name || parts.some((p) => p === '' || p === '.' || p === '..')) throw new Error(`"${name}" is no record name`);
  return parts;
}

/** Records of a file tree, in `<root>/.toezicht/`. `root` is the checked real root of the store. */
export class FsRecords implements StoreRecords {
  constructor(private readonly root: () => string) {}

  private file(name: string): string {
    return path.join(this.root(), RECORDS_FOLDER, ...checkName(name));
  }

  async read(name: string): Promise<string | undefined> {
    try {
      return await readFile(this.file(name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(name: string, text: string): Promise<void> {
    const file = this.file(name);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
    // Written beside and renamed over: a record is never half-written, even when the process is killed.
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, text, { mode: 0o640 });
    await rename(temp, file);
  }

  async list(folder: string): Promise<string[]> {
    try {
      return (await readdir(this.file(folder), { withFileTypes: true })).filter((d) => d.isFile() && !d.name.endsWith('.tmp')).map((d) => d.name).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}
