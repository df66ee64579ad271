// `register backup FILE` and the checks `register restore FILE` makes of a backup: SQLite's online backup (a
// consistent copy while a purge or hold writes), created 0600; a PostgreSQL register is backed up with pg_dump.
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { RefusalError, UsageError } from '../errors.js';
import { isRegisterUrl } from './postgres/register.js';
import { SqliteRegister } from './sqlite/register.js';
import type { Actor, ChainHead, Register } from './types.js';

export interface BackupResult {
  register: string;
  file: string;
  bytes: number;
  head: ChainHead;
  registerId: string;
}

const PG_DUMP = 'a PostgreSQL register is backed up with the server\'s own tools: `pg_dump --format=custom --file FILE DBNAME` (restore into an empty database with `pg_restore --dbname DBNAME FILE`)';

export async function backupRegister(register: Register, file: string): Promise<BackupResult> {
  if (!(register instanceof SqliteRegister)) throw new UsageError('backup.postgres', `register backup copies an embedded register; ${PG_DUMP}.`);
  if (existsSync(file)) throw new UsageError('backup.exists', `${file} already exists; name a new file (a backup never overwrites one).`);
  const head = await register.auditHead();
  const registerId = await register.registerId();
  await register.backup(file);
  return { register: register.location, file, bytes: statSync(file).size, head, registerId };
}

export interface BackupInfo {
  file: string;
  registerId: string;
  /** The backup was made before registers had an id (schema < 6): the id it has now was made by this restore. */
  idMadeNow: boolean;
  head: ChainHead;
  entries: number;
}

/**
 * Copies a backup to `target` (0600) and proves the copy: a toezicht register, intact pages, its chain and holds
 * verified. The caller renames it into place; a backup that fails is never used.
 */
export async function prepareRestore(file: string, target: string, actor: Actor): Promise<BackupInfo> {
  if (!existsSync(file)) throw new UsageError('restore.missing', `There is no file ${file}.`);
  if (existsSync(target)) throw new UsageError('restore.busy', `${target} is in the way (a restore that stopped half-way?); remove it and run the restore again.`);
  let source: Database.Database;
  try {
    source = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new RefusalError('restore.unreadable', `${file} is not an SQLite file (${(error as Error).message}); nothing changed.`);
  }
  let idMadeNow = false;
  try {
    idMadeNow = (source.pragma('user_version', { simple: true }) as number) < 6;
    const problems = (source.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length) throw new RefusalError('restore.damaged', `${file} fails PRAGMA quick_check (${problems.join('; ')}); nothing changed: use an older backup.`);
    closeSync(openSync(target, 'wx', 0o600));
    await source.backup(target);
  } finally {
    source.close();
  }
  // Opened like any register (refused if it is empty or not toezicht's; migrated when it is older).
  let copy: SqliteRegister | undefined;
  try {
    copy = SqliteRegister.open(target, { actor });
    const verified = await copy.verifyAudit();
    if (!verified.ok) {
      const why = verified.broken?.problem ?? verified.tamperedHolds[0]?.problem ?? `the deletion records of run ${verified.tamperedRuns[0]?.runId} were edited`;
      throw new RefusalError('restore.broken', `The audit chain of ${file} does not verify (${why}); nothing changed: use another backup.`);
    }
    return { file, registerId: await copy.registerId(), idMadeNow, head: await copy.auditHead(), entries: verified.entries };
  } catch (error) {
    await copy?.close();
    copy = undefined;
    rmSync(target, { force: true });
    throw error;
  } finally {
    await copy?.close();
  }
}

/** Moves a register file (and its WAL and shared-memory files) aside; returns where it went, if it was there. */
export function moveRegisterAside(file: string, suffix: string): string | undefined {
  if (isRegisterUrl(file) || !existsSync(file)) return undefined;
  const aside = `${file}.${suffix}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  // The -wal must go with it: left behind, SQLite would replay it into the file that takes its place.
  for (const ext of ['-wal', '-shm']) if (existsSync(file + ext)) renameSync(file + ext, aside + ext);
  renameSync(file, aside);
  return aside;
}

/** Gives a restored copy of a backup older than register ids the id of the register the storages are marked for. */
export function adoptRegisterId(file: string, registerId: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.prepare("UPDATE meta SET value = ? WHERE key = 'register_id'").run(registerId);
  } finally {
    db.close();
  }
}
