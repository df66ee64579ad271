// The embedded register: one SQLite file (WAL), created 0600 because it holds personal data. The domain logic is
// the shared SqlRegister; this file opens the file, migrates it and reports its mode.
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { RefusalError, UsageError } from '../../errors.js';
import { SqlRegister } from '../sql/register.js';
import type { Actor } from '../types.js';
import { SqliteDatabase } from './database.js';
import { MIGRATIONS } from './migrations.js';

type Db = Database.Database;

export interface SqliteOpenOptions {
  create?: boolean;
  actor: Actor;
}

export class SqliteRegister extends SqlRegister {
  /** SQLite's online backup of this register into `file` (made 0600 first, so the copy is never readable by others). */
  async backup(file: string): Promise<void> {
    closeSync(openSync(file, 'wx', 0o600));
    await (this.db as SqliteDatabase).backup(file);
  }

  static open(file: string, options: SqliteOpenOptions): SqliteRegister {
    const exists = existsSync(file);
    if (!exists && !options.create) {
      throw new RefusalError(
        'register.missing',
        `No register at ${file}; run \`toezicht init\` to create it (or restore it from a backup: without it holds are unknown, so nothing is deleted).`,
      );
    }
    if (exists && !options.create) refuseEmpty(file);
    if (!exists) {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      // Create the file ourselves so it is 0600 from the first byte; SQLite gives its -wal and -shm the same mode.
      closeSync(openSync(file, 'wx', 0o600));
    }
    let db: Db;
    try {
      db = new Database(file, { fileMustExist: true });
      db.pragma('busy_timeout = 15000');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // Only `init` makes a schema: a file that exists without toezicht's schema (emptied, or another program's) is
      // refused, never taken for a new register — it would know no holds.
      if (!options.create) requireSchema(db, file);
      migrate(db, file);
    } catch (error) {
      if (error instanceof UsageError || error instanceof RefusalError) throw error;
      throw new RefusalError(
        'register.unreadable',
        `The register ${file} cannot be read (${(error as Error).message}); restore it from a backup — nothing is deleted without it.`,
        { cause: error },
      );
    }
    const reg = new SqliteRegister(new SqliteDatabase(db, file), file, options.actor);
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) {
      reg.warnings.push(`The register ${file} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); it holds personal data: run \`chmod 600 ${file}\`.`);
    }
    return reg;
  }
}

const WAY_OUT = 'restore it with `toezicht register restore BACKUP`, or rebuild it from the storages with `toezicht register recover`; nothing is deleted without it';

function refuseEmpty(file: string): void {
  if (statSync(file).size === 0) {
    throw new RefusalError('register.empty', `The register ${file} is empty (0 bytes): it was emptied or replaced; ${WAY_OUT}.`);
  }
}

function requireSchema(db: Db, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  const head = tables.has('meta') ? (db.prepare("SELECT value FROM meta WHERE key = 'audit_head_seq'").get() as { value: string } | undefined) : undefined;
  if (version === 0 || !tables.has('audit') || !tables.has('holds') || !head) {
    throw new RefusalError('register.foreign', `${file} is not a toezicht register (it has no toezicht schema: ${tables.size ? `tables ${[...tables].slice(0, 5).join(', ')}` : 'no tables'}); ${WAY_OUT}.`);
  }
}

function migrate(db: Db, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new UsageError(
      'register.newer',
      `The register ${file} was written by a newer toezicht (schema ${version}, this version knows ${MIGRATIONS.length}); upgrade toezicht.`,
    );
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
