// The SQL layer on PostgreSQL (node-postgres). Connects and migrates on first use, so opening stays synchronous
// for the callers. Writers lock the audit chain's head row first: several hosts writing at once still make one
// unbroken chain. The purge lock is an advisory lock held by one session: it dies with the process or connection.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type pg from 'pg';
import { RefusalError, ToezichtError, UsageError } from '../../errors.js';
import type { HeldLock, SqlDatabase, SqlExecutor } from '../sql/types.js';
import { PG_MIGRATIONS } from './migrations.js';

let pgModule: typeof pg | undefined;
/** node-postgres, loaded on first use: every command that opens an embedded register would otherwise pay ~0.1 s. */
function loadPg(): typeof pg {
  pgModule ??= createRequire(import.meta.url)('pg') as typeof pg;
  return pgModule;
}

/** `?` placeholders as PostgreSQL's `$1, $2 …` (the register's SQL never has a `?` inside a string literal). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let out = '';
  let quoted = false;
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}

/** A 64-bit advisory lock key for a name, the same on every host. */
function lockKey(name: string): string {
  return createHash('sha256').update(`toezicht.${name}`).digest().readBigInt64BE(0).toString();
}

// BIGINT (and COUNT) as JavaScript numbers: the register's integers are ids, counts and ms since the epoch.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? (v: string) => Number(v) : loadPg().types.getTypeParser(oid, format ?? 'text'))) as typeof pg.types.getTypeParser,
};

function executor(client: pg.ClientBase | pg.Pool): SqlExecutor {
  const query = async <T>(sql: string, params: readonly unknown[] = []): Promise<T[]> => (await client.query(numberPlaceholders(sql), params as unknown[])).rows as T[];
  return {
    dialect: 'postgres',
    all: query,
    get: async <T>(sql: string, params?: readonly unknown[]) => (await query<T>(sql, params))[0],
    run: async (sql: string, params: readonly unknown[] = []) => (await client.query(numberPlaceholders(sql), params as unknown[])).rowCount ?? 0,
  };
}

function withPassword(connectionString: string, password: string | undefined): string {
  if (password === undefined) return connectionString;
  const url = new URL(connectionString);
  url.password = encodeURIComponent(password);
  return url.toString();
}

export interface PgOpenOptions {
  /** Connection string without its password (shown to people). */
  location: string;
  connectionString: string;
  password?: string;
  create: boolean;
}

export class PgDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly options: PgOpenOptions;
  private readyPromise?: Promise<void>;
  private readonly locks = new Set<pg.PoolClient>();
  /** Whether this open created the register's schema (an empty database made into a register). */
  created = false;

  constructor(options: PgOpenOptions) {
    this.options = options;
    this.pool = new (loadPg().Pool)({
      // pg lets the connection string's fields override the separate ones: the password goes into the URL it is given
      // (in memory only; the URL shown to people never has it).
      connectionString: withPassword(options.connectionString, options.password),
      max: 4,
      connectionTimeoutMillis: 15_000,
      idleTimeoutMillis: 10_000,
      application_name: 'toezicht',
      // Waiting for another writer's lock as long as SQLite's busy timeout, no longer.
      options: '-c lock_timeout=15000',
      types,
    });
    // An idle connection that dies is replaced on next use; without this handler it would end the process.
    this.pool.on('error', () => undefined);
  }

  private fail(error: unknown): never {
    if (error instanceof ToezichtError) throw error;
    const message = (error as Error).message;
    throw new RefusalError(
      'register.unreachable',
      `The register ${this.options.location} cannot be reached (${message}); check the server, the URL and TOEZICHT_REGISTER_PASSWORD — nothing is deleted without it.`,
      { cause: error },
    );
  }

  /** Connects and brings the schema up to date, once. */
  ready(): Promise<void> {
    this.readyPromise ??= this.prepare().catch((error: unknown) => this.fail(error));
    return this.readyPromise;
  }

  private async prepare(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // One host migrates at a time; the others wait here and then find nothing to do.
      await client.query('SELECT pg_advisory_xact_lock($1)', [lockKey('migrate')]);
      const exists = (await client.query<{ t: string | null }>("SELECT to_regclass('toezicht_schema')::text AS t")).rows[0]?.t;
      if (!exists) {
        if (!this.options.create) {
          throw new RefusalError(
            'register.missing',
            `No register in ${this.options.location}; run \`toezicht init\` to create it there, or \`toezicht register migrate --to URL\` to copy an embedded one (without it holds are unknown, so nothing is deleted).`,
          );
        }
        await client.query('CREATE TABLE toezicht_schema (version INTEGER NOT NULL)');
        await client.query('INSERT INTO toezicht_schema (version) VALUES (0)');
        this.created = true;
      }
      const version = Number((await client.query<{ version: number }>('SELECT version FROM toezicht_schema')).rows[0]?.version ?? 0);
      if (version > PG_MIGRATIONS.length) {
        throw new UsageError('register.newer', `The register ${this.options.location} was written by a newer toezicht (schema ${version}, this version knows ${PG_MIGRATIONS.length}); upgrade toezicht.`);
      }
      for (let v = version; v < PG_MIGRATIONS.length; v++) {
        await client.query(PG_MIGRATIONS[v]!);
        await client.query('UPDATE toezicht_schema SET version = $1', [v + 1]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async all<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    await this.ready();
    return executor(this.pool).all<T>(sql, params);
  }

  async get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    await this.ready();
    return executor(this.pool).get<T>(sql, params);
  }

  async run(sql: string, params?: readonly unknown[]): Promise<number> {
    await this.ready();
    return executor(this.pool).run(sql, params);
  }

  private async transaction<T>(begin: string, lockHead: boolean, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    await this.ready();
    const client = await this.pool.connect().catch((error: unknown) => this.fail(error));
    try {
      await client.query(begin);
      // Every writer takes the chain's head first: appends, id counters and the holds version follow one order.
      if (lockHead) await client.query("SELECT value FROM meta WHERE key = 'audit_head_seq' FOR UPDATE");
      const result = await fn(executor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  write<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.transaction('BEGIN', true, fn);
  }

  read<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', false, fn);
  }

  async tryLock(name: string): Promise<HeldLock | undefined> {
    await this.ready();
    const client = await this.pool.connect().catch((error: unknown) => this.fail(error));
    const key = lockKey(name);
    let got = false;
    try {
      got = Boolean((await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key])).rows[0]?.ok);
    } finally {
      if (!got) client.release();
    }
    if (!got) return undefined;
    this.locks.add(client);
    const state = { lost: false };
    const onLost = (): void => {
      state.lost = true;
    };
    client.on('error', onLost);
    client.on('end', onLost);
    return {
      get lost() {
        return state.lost;
      },
      release: async () => {
        if (!this.locks.delete(client)) return;
        client.off('end', onLost);
        try {
          if (!state.lost) await client.query('SELECT pg_advisory_unlock($1)', [key]);
          client.release();
        } catch (error) {
          client.release(error as Error);
        }
      },
    };
  }

  async integrityCheck(): Promise<string | undefined> {
    await this.ready();
    const version = Number((await executor(this.pool).get<{ version: number }>('SELECT version FROM toezicht_schema'))?.version ?? 0);
    if (version !== PG_MIGRATIONS.length) return `its schema version is ${version}, this toezicht knows ${PG_MIGRATIONS.length}`;
    const tables = await executor(this.pool).all<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema()");
    const names = new Set(tables.map((r) => r.t));
    const missing = ['meta', 'audit', 'holds', 'hold_cameras', 'purge_runs', 'purge_batches'].filter((t) => !names.has(t));
    return missing.length ? `its tables ${missing.join(', ')} are missing` : undefined;
  }

  async close(): Promise<void> {
    for (const client of this.locks) client.release(true);
    this.locks.clear();
    await this.pool.end();
  }
}
