// The small SQL layer every register backend provides, so that the register's domain logic (sql/*.ts) is written
// once: `?` placeholders, RETURNING, JSON kept as text (canonical, so hashes stay exact), integers as numbers,
// transactions in which writers are serialised, and a lock that dies with the process or session.

export type DialectName = 'sqlite' | 'postgres';

/** Runs statements: outside a transaction (each on its own) or inside one (the `tx` a transaction hands out). */
export interface SqlExecutor {
  readonly dialect: DialectName;
  /** Every row. Placeholders are `?`; never put a `?` in a string literal. */
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** A lock held by this process (SQLite: a file lock) or this session (PostgreSQL: an advisory lock). */
export interface HeldLock {
  /** True once the lock can no longer be trusted (its connection died); work under it must stop. */
  readonly lost: boolean;
  release(): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  /**
   * A write transaction. Writers are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: the audit chain's head row is
   * locked first), so a transaction that reads the chain's head or counts ids may rely on what it read.
   */
  write<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** A read transaction: one consistent snapshot for every statement in it. */
  read<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Takes a named lock without waiting, or resolves undefined when someone else holds it. */
  tryLock(name: string): Promise<HeldLock | undefined>;
  /** The database's own integrity check (SQLite: PRAGMA quick_check; PostgreSQL: the schema version); a problem or undefined. */
  integrityCheck(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Rows of `sql` in pages of `size` by an increasing integer key (memory stays flat on large tables). */
export async function* pages<T extends Record<string, unknown>>(
  db: SqlExecutor,
  sql: (afterParam: string) => string,
  key: keyof T & string,
  params: readonly unknown[] = [],
  size = 2000,
): AsyncGenerator<T> {
  let after = -Infinity;
  for (;;) {
    const rows = await db.all<T>(`${sql('?')} LIMIT ${size}`, [...params, after === -Infinity ? -9007199254740991 : after]);
    for (const row of rows) yield row;
    if (rows.length < size) return;
    after = Number(rows.at(-1)![key]);
  }
}
