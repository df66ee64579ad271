// The SQL layer on SQLite (better-sqlite3, synchronous): statements run at once; one in-process queue keeps an
// open transaction to itself while its callback awaits, since every statement goes to the same connection.
import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { HeldLock, SqlDatabase, SqlExecutor } from '../sql/types.js';

type Db = Database.Database;

function executor(db: Db): SqlExecutor {
  return {
    dialect: 'sqlite',
    all: async <T>(sql: string, params: readonly unknown[] = []) => db.prepare(sql).all(...params) as T[],
    get: async <T>(sql: string, params: readonly unknown[] = []) => db.prepare(sql).get(...params) as T | undefined,
    run: async (sql: string, params: readonly unknown[] = []) => db.prepare(sql).run(...params).changes,
  };
}

export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  private readonly db: Db;
  private readonly file: string;
  private readonly tx: SqlExecutor;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly locks = new Set<Db>();

  constructor(db: Db, file: string) {
    this.db = db;
    this.file = file;
    this.tx = executor(db);
  }

  /** Runs `fn` when nothing else of this process uses the connection. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.queue.then(fn);
    this.queue = result.catch(() => undefined);
    return result;
  }

  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.exclusive(() => this.tx.all<T>(sql, params));
  }

  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.exclusive(() => this.tx.get<T>(sql, params));
  }

  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.exclusive(() => this.tx.run(sql, params));
  }

  private transaction<T>(begin: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      this.db.exec(begin);
      try {
        const result = await fn(this.tx);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  write<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.transaction('BEGIN IMMEDIATE', fn);
  }

  read<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.transaction('BEGIN', fn);
  }

  /**
   * An exclusive SQLite transaction on a file of its own (`<register>.<name>-lock`): the kernel drops the lock if
   * this process dies, so a run killed with SIGKILL never leaves a stale lock behind.
   */
  async tryLock(name: string): Promise<HeldLock | undefined> {
    const lockFile = `${this.file}.${name}-lock`;
    if (!existsSync(lockFile)) {
      try {
        closeSync(openSync(lockFile, 'wx', 0o600));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    const lock = new Database(lockFile);
    lock.pragma('busy_timeout = 0');
    try {
      lock.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      lock.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return undefined;
      throw error;
    }
    this.locks.add(lock);
    return {
      lost: false,
      release: async () => {
        if (!this.locks.delete(lock)) return;
        lock.exec('ROLLBACK');
        lock.close();
      },
    };
  }

  async integrityCheck(): Promise<string | undefined> {
    return this.exclusive(async () => {
      try {
        const rows = this.db.pragma('quick_check(5)') as { quick_check: string }[];
        const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
        return problems.length ? `PRAGMA quick_check: ${problems.join('; ')}` : undefined;
      } catch (error) {
        return `PRAGMA quick_check failed: ${(error as Error).message}`;
      }
    });
  }

  /** SQLite's online backup into `file` (a consistent copy while others may write). */
  backup(file: string): Promise<unknown> {
    return this.exclusive(() => this.db.backup(file));
  }

  async close(): Promise<void> {
    for (const lock of this.locks) lock.close();
    this.locks.clear();
    if (this.db.open) this.db.close();
  }

  /** Synchronous close, for callers that cannot wait. */
  closeNow(): void {
    void this.close();
  }
}
