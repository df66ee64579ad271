// The embedded register: one SQLite file (WAL), created 0600 because it holds personal data.
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BusyError, RefusalError, UsageError } from '../../errors.js';
import { batchesDigest, canonicalJson, entryHash, verifyEntries, type StoredEntry } from '../chain.js';
import type {
  Actor,
  AuditEntry,
  AuditVerification,
  DeletionRecord,
  DocumentRender,
  DocumentVersion,
  ExportCompletion,
  ExportRecord,
  ExportStatus,
  Hold,
  HoldKind,
  InterruptedRun,
  NewExport,
  NewDocumentVersion,
  NewHold,
  PurgeBatch,
  PurgeLock,
  PurgeRunInfo,
  RangeDeletion,
  Register,
  RightsChanges,
  RightsOutcome,
  RightsRelation,
  RightsRequest,
  RightsState,
  RightsStep,
  RightsType,
  NewRightsRequest,
  RunSummary,
  StorageState,
} from '../types.js';
import { MIGRATIONS } from './migrations.js';

type Db = Database.Database;

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  details: string;
  prev_hash: string;
  hash: string;
}

interface HoldRow {
  id: string;
  kind: string;
  case_ref: string;
  reason: string;
  range_from: number;
  range_to: number;
  created_at: string;
  created_by: string;
  released_at: string | null;
  released_by: string | null;
  release_reason: string | null;
  cameras: string;
}

interface BatchRow {
  id: number;
  run_id: number;
  storage: string;
  dir: string;
  camera: string;
  names: string;
  bytes: number;
  state: string;
  done_at: string | null;
}

interface DocumentVersionRow {
  id: number;
  document: string;
  version: number;
  inputs_hash: string;
  inputs: string;
  status: string;
  created_at: string;
  created_by: string;
}

interface ExportRow {
  id: string;
  status: string;
  created_at: string;
  created_by: string;
  pid: number;
  host: string;
  case_ref: string | null;
  reason: string | null;
  cameras: string;
  range_from: number;
  range_to: number;
  out_dir: string;
  package_dir: string;
  work_dir: string;
  encrypted: number;
  manifest_sha256: string | null;
  bytes: number | null;
  keep_until: number | null;
  hold_id: string | null;
  finished_at: string | null;
  purged_at: string | null;
  note: string | null;
}

function toExport(row: ExportRow): ExportRecord {
  return {
    id: row.id,
    status: row.status as ExportStatus,
    createdAt: row.created_at,
    createdBy: JSON.parse(row.created_by) as Actor,
    pid: row.pid,
    ...(row.case_ref !== null ? { caseRef: row.case_ref } : {}),
    ...(row.reason !== null ? { reason: row.reason } : {}),
    cameras: JSON.parse(row.cameras) as string[],
    from: row.range_from,
    to: row.range_to,
    outDir: row.out_dir,
    packageDir: row.package_dir,
    workDir: row.work_dir,
    encrypted: row.encrypted === 1,
    ...(row.manifest_sha256 !== null ? { manifestSha256: row.manifest_sha256 } : {}),
    ...(row.bytes !== null ? { bytes: row.bytes } : {}),
    ...(row.keep_until !== null ? { keepUntil: row.keep_until } : {}),
    ...(row.hold_id !== null ? { holdId: row.hold_id } : {}),
    ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
    ...(row.purged_at !== null ? { purgedAt: row.purged_at } : {}),
    ...(row.note !== null ? { note: row.note } : {}),
  };
}

interface RightsRow {
  id: string;
  type: string;
  state: string;
  requester: string;
  relation: string;
  subject: string;
  subject_birthdate: string | null;
  cameras: string;
  range_from: number | null;
  range_to: number | null;
  description: string | null;
  received_on: string;
  due_on: string;
  extended_due_on: string | null;
  extension_reason: string | null;
  extended_at: string | null;
  hold_id: string | null;
  restriction_hold_id: string | null;
  identity_method: string | null;
  identity_checked_at: string | null;
  identity_checked_by: string | null;
  fulfilment: string | null;
  fulfilled_at: string | null;
  outcome: string | null;
  outcome_reason: string | null;
  answered_at: string | null;
  closed_at: string | null;
  created_at: string;
  created_by: string;
}

function toRights(row: RightsRow): RightsRequest {
  const opt = <K extends string, V>(key: K, value: V | null): Partial<Record<K, V>> => (value === null ? {} : ({ [key]: value } as Record<K, V>));
  return {
    id: row.id,
    type: row.type as RightsType,
    state: row.state as RightsState,
    requester: row.requester,
    relation: row.relation as RightsRelation,
    subject: row.subject,
    ...opt('subjectBirthdate', row.subject_birthdate),
    cameras: JSON.parse(row.cameras) as string[],
    ...opt('from', row.range_from),
    ...opt('to', row.range_to),
    ...opt('description', row.description),
    receivedOn: row.received_on,
    dueOn: row.due_on,
    ...opt('extendedDueOn', row.extended_due_on),
    ...opt('extensionReason', row.extension_reason),
    ...opt('extendedAt', row.extended_at),
    ...opt('holdId', row.hold_id),
    ...opt('restrictionHoldId', row.restriction_hold_id),
    ...opt('identityMethod', row.identity_method),
    ...opt('identityCheckedAt', row.identity_checked_at),
    ...(row.identity_checked_by !== null ? { identityCheckedBy: JSON.parse(row.identity_checked_by) as Actor } : {}),
    ...(row.fulfilment !== null ? { fulfilment: JSON.parse(row.fulfilment) as Record<string, unknown> } : {}),
    ...opt('fulfilledAt', row.fulfilled_at),
    ...opt('outcome', row.outcome as RightsOutcome | null),
    ...opt('outcomeReason', row.outcome_reason),
    ...opt('answeredAt', row.answered_at),
    ...opt('closedAt', row.closed_at),
    createdAt: row.created_at,
    createdBy: JSON.parse(row.created_by) as Actor,
  };
}

/** Columns of rights_requests a step may set, and how each value is stored. */
const RIGHTS_COLUMNS: Record<keyof RightsChanges, [column: string, store: (v: unknown) => unknown]> = {
  state: ['state', String],
  extendedDueOn: ['extended_due_on', String],
  extensionReason: ['extension_reason', String],
  extendedAt: ['extended_at', String],
  identityMethod: ['identity_method', String],
  identityCheckedAt: ['identity_checked_at', String],
  identityCheckedBy: ['identity_checked_by', (v) => canonicalJson(v)],
  fulfilment: ['fulfilment', (v) => canonicalJson(v)],
  fulfilledAt: ['fulfilled_at', String],
  outcome: ['outcome', String],
  outcomeReason: ['outcome_reason', String],
  answeredAt: ['answered_at', String],
  closedAt: ['closed_at', String],
  restrictionHoldId: ['restriction_hold_id', String],
};

export interface SqliteOpenOptions {
  create?: boolean;
  actor: Actor;
}

function toAudit(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: JSON.parse(row.actor) as Actor,
    action: row.action,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function toHold(row: HoldRow): Hold {
  return {
    id: row.id,
    kind: row.kind as HoldKind,
    caseRef: row.case_ref,
    reason: row.reason,
    cameras: (JSON.parse(row.cameras) as string[]).sort(),
    from: row.range_from,
    to: row.range_to,
    createdAt: row.created_at,
    createdBy: JSON.parse(row.created_by) as Actor,
    ...(row.released_at ? { releasedAt: row.released_at } : {}),
    ...(row.released_by ? { releasedBy: JSON.parse(row.released_by) as Actor } : {}),
    ...(row.release_reason ? { releaseReason: row.release_reason } : {}),
  };
}

const HOLD_SELECT = `
  SELECT h.*, (SELECT json_group_array(camera) FROM hold_cameras c WHERE c.hold_id = h.id) AS cameras
  FROM holds h`;

export class SqliteRegister implements Register {
  readonly location: string;
  readonly actor: Actor;
  /** Things the user should fix but that do not stop the command (file mode). */
  readonly warnings: string[] = [];
  private readonly db: Db;
  private lockDb?: Db;

  private constructor(file: string, db: Db, actor: Actor) {
    this.location = file;
    this.db = db;
    this.actor = actor;
  }

  static open(file: string, options: SqliteOpenOptions): SqliteRegister {
    const exists = existsSync(file);
    if (!exists && !options.create) {
      throw new RefusalError(
        'register.missing',
        `No register at ${file}; run \`toezicht init\` to create it (or restore it from a backup: without it holds are unknown, so nothing is deleted).`,
      );
    }
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
      migrate(db, file);
    } catch (error) {
      if (error instanceof UsageError || error instanceof RefusalError) throw error;
      throw new RefusalError(
        'register.unreadable',
        `The register ${file} cannot be read (${(error as Error).message}); restore it from a backup — nothing is deleted without it.`,
        { cause: error },
      );
    }
    const reg = new SqliteRegister(file, db, options.actor);
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) {
      reg.warnings.push(`The register ${file} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); it holds personal data: run \`chmod 600 ${file}\`.`);
    }
    return reg;
  }

  // ---------- audit chain ----------

  private appendAuditInTx(action: string, details: Record<string, unknown>): AuditEntry {
    const head = this.db.prepare("SELECT value FROM meta WHERE key = 'audit_head_seq'").pluck().get() as string;
    const last = this.db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    if ((last?.seq ?? 0) !== Number(head)) {
      throw new RefusalError(
        'register.chain-broken',
        `The audit chain in ${this.location} does not end where the register recorded (entry ${head}); run \`toezicht audit verify\` and restore the register from a backup.`,
      );
    }
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? '0'.repeat(64);
    const at = new Date().toISOString();
    // Round-trip through canonical JSON so what is hashed is exactly what is stored.
    const cleanDetails = JSON.parse(canonicalJson(details)) as Record<string, unknown>;
    const entry = { seq, at, actor: this.actor, action, details: cleanDetails };
    const hash = entryHash(entry, prevHash);
    this.db
      .prepare('INSERT INTO audit (seq, at, actor, action, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(seq, at, canonicalJson(this.actor), action, canonicalJson(cleanDetails), prevHash, hash);
    this.db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head_seq'").run(String(seq));
    this.db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head_hash'").run(hash);
    return { ...entry, prevHash, hash };
  }

  async appendAudit(action: string, details: Record<string, unknown>): Promise<AuditEntry> {
    return this.db.transaction(() => this.appendAuditInTx(action, details)).immediate();
  }

  async auditEntries(options: { sinceMs?: number; action?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.sinceMs !== undefined) {
      where.push('at >= ?');
      params.push(new Date(options.sinceMs).toISOString());
    }
    if (options.action) {
      where.push('(action = ? OR action LIKE ?)');
      params.push(options.action, `${options.action}.%`);
    }
    let sql = `SELECT * FROM audit${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
    if (options.limit) sql = `SELECT * FROM (${sql.replace('ORDER BY seq', 'ORDER BY seq DESC')} LIMIT ${Math.floor(options.limit)}) ORDER BY seq`;
    return (this.db.prepare(sql).all(...params) as AuditRow[]).map(toAudit);
  }

  async verifyAudit(): Promise<AuditVerification> {
    const rows = this.db.prepare('SELECT * FROM audit ORDER BY rowid').iterate() as IterableIterator<AuditRow>;
    const stored = function* (): Generator<StoredEntry> {
      for (const row of rows) {
        let actor: Actor;
        let details: Record<string, unknown>;
        try {
          actor = JSON.parse(row.actor) as Actor;
          details = JSON.parse(row.details) as Record<string, unknown>;
        } catch {
          // Unparseable fields cannot hash to the stored value: report the entry as altered.
          actor = { user: '?', host: '?' };
          details = { unparseable: row.details };
        }
        yield { seq: row.seq, at: row.at, actor, action: row.action, details, prevHash: row.prev_hash, hash: row.hash };
      }
    };
    const meta = this.db.prepare("SELECT key, value FROM meta WHERE key LIKE 'audit_head_%'").all() as { key: string; value: string }[];
    const head = {
      seq: Number(meta.find((m) => m.key === 'audit_head_seq')?.value ?? 0),
      hash: meta.find((m) => m.key === 'audit_head_hash')?.value ?? '',
    };
    const result = verifyEntries(stored(), head);
    // Deletion records of finished runs must still match the digest their audit entry recorded.
    const tamperedRuns: { runId: number; seq: number }[] = [];
    const runEntries = this.db.prepare("SELECT seq, details FROM audit WHERE action IN ('purge.run', 'purge.interrupted')").all() as { seq: number; details: string }[];
    for (const e of runEntries) {
      const d = JSON.parse(e.details) as { runId?: number; digest?: string };
      if (d.runId === undefined || d.digest === undefined) continue;
      if (this.runDigest(d.runId) !== d.digest) tamperedRuns.push({ runId: d.runId, seq: e.seq });
    }
    return { ok: !result.broken && tamperedRuns.length === 0, entries: result.entries, ...(result.broken ? { broken: result.broken } : {}), tamperedRuns };
  }

  private runDigest(runId: number): string {
    const rows = this.db
      .prepare("SELECT storage, dir, camera, names, bytes FROM purge_batches WHERE run_id = ? AND state = 'done' ORDER BY id")
      .iterate(runId) as IterableIterator<{ storage: string; dir: string; camera: string; names: string; bytes: number }>;
    return batchesDigest(
      (function* () {
        for (const r of rows) yield { ...r, names: JSON.parse(r.names) as string[] };
      })(),
    );
  }

  // ---------- holds ----------

  private addHoldInTx(hold: NewHold): Hold {
    const year = new Date().getUTCFullYear();
    const count = this.db.prepare('SELECT COUNT(*) FROM holds WHERE id LIKE ?').pluck().get(`H-${year}-%`) as number;
    const id = `H-${year}-${String(count + 1).padStart(4, '0')}`;
    const createdAt = new Date().toISOString();
    this.db
      .prepare(
        'INSERT INTO holds (id, kind, case_ref, reason, range_from, range_to, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(id, hold.kind ?? 'case', hold.caseRef, hold.reason, hold.from, hold.to, createdAt, canonicalJson(this.actor));
    const insertCamera = this.db.prepare('INSERT INTO hold_cameras (hold_id, camera) VALUES (?, ?)');
    for (const camera of new Set(hold.cameras)) insertCamera.run(id, camera);
    this.bumpHoldsVersion();
    this.appendAuditInTx('hold.add', {
      holdId: id,
      kind: hold.kind ?? 'case',
      case: hold.caseRef,
      reason: hold.reason,
      cameras: [...new Set(hold.cameras)].sort(),
      from: new Date(hold.from).toISOString(),
      to: new Date(hold.to).toISOString(),
    });
    return toHold(this.db.prepare(`${HOLD_SELECT} WHERE h.id = ?`).get(id) as HoldRow);
  }

  async addHold(hold: NewHold): Promise<Hold> {
    return this.db.transaction(() => this.addHoldInTx(hold)).immediate();
  }

  async getHold(id: string): Promise<Hold | undefined> {
    const row = this.db.prepare(`${HOLD_SELECT} WHERE h.id = ? COLLATE NOCASE`).get(id) as HoldRow | undefined;
    return row ? toHold(row) : undefined;
  }

  async listHolds(options: { includeReleased?: boolean } = {}): Promise<Hold[]> {
    const sql = `${HOLD_SELECT}${options.includeReleased ? '' : ' WHERE h.released_at IS NULL'} ORDER BY h.created_at, h.id`;
    return (this.db.prepare(sql).all() as HoldRow[]).map(toHold);
  }

  private releaseHoldInTx(id: string, reason: string): Hold {
    const row = this.db.prepare(`${HOLD_SELECT} WHERE h.id = ? COLLATE NOCASE`).get(id) as HoldRow | undefined;
    if (!row) throw new UsageError('hold.unknown', `There is no hold ${id}; \`toezicht footage hold list --all\` shows the holds.`);
    if (row.released_at) {
      throw new UsageError('hold.released', `Hold ${row.id} was already released on ${row.released_at}; nothing changed.`);
    }
    const at = new Date().toISOString();
    this.db
      .prepare('UPDATE holds SET released_at = ?, released_by = ?, release_reason = ? WHERE id = ?')
      .run(at, canonicalJson(this.actor), reason, row.id);
    this.bumpHoldsVersion();
    this.appendAuditInTx('hold.release', { holdId: row.id, case: row.case_ref, reason });
    return toHold(this.db.prepare(`${HOLD_SELECT} WHERE h.id = ?`).get(row.id) as HoldRow);
  }

  async releaseHold(id: string, reason: string): Promise<Hold> {
    return this.db.transaction(() => this.releaseHoldInTx(id, reason)).immediate();
  }

  private bumpHoldsVersion(): void {
    this.db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'holds_version'").run();
  }

  async holdsVersion(): Promise<number> {
    return Number(this.db.prepare("SELECT value FROM meta WHERE key = 'holds_version'").pluck().get());
  }

  // ---------- purge runs ----------

  async acquirePurgeLock(): Promise<PurgeLock> {
    const lockFile = `${this.location}.purge-lock`;
    if (!existsSync(lockFile)) {
      try {
        closeSync(openSync(lockFile, 'wx', 0o600));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    // An exclusive SQLite transaction on a file of its own: the kernel drops the lock if this process dies,
    // so a purge killed with SIGKILL never leaves a stale lock behind.
    const lock = new Database(lockFile);
    lock.pragma('busy_timeout = 0');
    try {
      lock.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      lock.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        const running = this.db
          .prepare("SELECT id, started_at, pid, actor FROM purge_runs WHERE status = 'running' ORDER BY id DESC LIMIT 1")
          .get() as { id: number; started_at: string; pid: number; actor: string } | undefined;
        const who = running ? ` (run ${running.id}, pid ${running.pid}, by ${(JSON.parse(running.actor) as Actor).user}, since ${running.started_at})` : '';
        throw new BusyError('purge.busy', `Another purge is running${who}; this one stopped without deleting anything. Try again when it has finished.`);
      }
      throw error;
    }
    this.lockDb = lock;
    return {
      release: () => {
        if (this.lockDb === lock) {
          lock.exec('ROLLBACK');
          lock.close();
          this.lockDb = undefined;
        }
      },
    };
  }

  async settleInterruptedRuns(gone: (storage: string, relPath: string) => Promise<boolean>): Promise<InterruptedRun[]> {
    if (!this.lockDb) throw new Error('settleInterruptedRuns needs the purge lock');
    const runs = this.db.prepare("SELECT id, started_at FROM purge_runs WHERE status = 'running' ORDER BY id").all() as { id: number; started_at: string }[];
    const settled: InterruptedRun[] = [];
    for (const run of runs) {
      let deleted = 0;
      let left = 0;
      const planned = this.db.prepare("SELECT * FROM purge_batches WHERE run_id = ? AND state = 'planned' ORDER BY id").all(run.id) as BatchRow[];
      for (const batch of planned) {
        const names = JSON.parse(batch.names) as string[];
        const goneNames: string[] = [];
        for (const name of names) {
          if (await gone(batch.storage, batch.dir ? `${batch.dir}/${name}` : name)) goneNames.push(name);
        }
        deleted += goneNames.length;
        left += names.length - goneNames.length;
        // Sizes were taken per file as it was deleted and are lost with the process: only the files are certain.
        this.db
          .prepare("UPDATE purge_batches SET names = ?, bytes = 0, state = 'done', done_at = ? WHERE id = ?")
          .run(JSON.stringify(goneNames), new Date().toISOString(), batch.id);
      }
      const doneFiles = this.db
        .prepare("SELECT COALESCE(SUM(json_array_length(names)), 0) FROM purge_batches WHERE run_id = ? AND state = 'done'")
        .pluck()
        .get(run.id) as number;
      this.db.transaction(() => {
        const summary = { status: 'interrupted', counts: { deletedFiles: doneFiles, settledFromJournal: deleted, leftForNextRun: left } };
        this.db.prepare("UPDATE purge_runs SET status = 'interrupted', finished_at = ?, summary = ? WHERE id = ?").run(new Date().toISOString(), JSON.stringify(summary), run.id);
        this.appendAuditInTx('purge.interrupted', { runId: run.id, deletedFiles: doneFiles, leftForNextRun: left, digest: this.runDigest(run.id) });
      }).immediate();
      settled.push({ runId: run.id, startedAt: run.started_at, deleted: doneFiles, left });
    }
    return settled;
  }

  async beginPurgeRun(info: PurgeRunInfo): Promise<number> {
    const result = this.db
      .prepare("INSERT INTO purge_runs (started_at, now_ms, status, actor, pid, options) VALUES (?, ?, 'running', ?, ?, ?)")
      .run(new Date().toISOString(), info.now, canonicalJson(this.actor), process.pid, canonicalJson(info.options));
    return Number(result.lastInsertRowid);
  }

  async planBatch(runId: number, batch: PurgeBatch, holdsVersion: number): Promise<number | undefined> {
    return this.db
      .transaction(() => {
        // Holds are written under the same write lock, so none can slip in between this check and the insert.
        if (Number(this.db.prepare("SELECT value FROM meta WHERE key = 'holds_version'").pluck().get()) !== holdsVersion) return undefined;
        const result = this.db
          .prepare(
            "INSERT INTO purge_batches (run_id, storage, dir, camera, names, bytes, first_start, last_end, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'planned')",
          )
          .run(runId, batch.storage, batch.dir, batch.camera, JSON.stringify(batch.names), batch.bytes, batch.firstStart, batch.lastEnd);
        return Number(result.lastInsertRowid);
      })
      .immediate();
  }

  async completeBatch(batchId: number, deleted: string[], bytes: number): Promise<void> {
    this.db
      .prepare("UPDATE purge_batches SET names = ?, bytes = ?, state = 'done', done_at = ? WHERE id = ?")
      .run(JSON.stringify(deleted), bytes, new Date().toISOString(), batchId);
  }

  async finishPurgeRun(runId: number, summary: RunSummary): Promise<AuditEntry> {
    return this.db
      .transaction(() => {
        this.db
          .prepare('UPDATE purge_runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?')
          .run(summary.status, new Date().toISOString(), JSON.stringify(summary), runId);
        const batches = this.db.prepare("SELECT COUNT(*) FROM purge_batches WHERE run_id = ? AND state = 'done'").pluck().get(runId) as number;
        return this.appendAuditInTx('purge.run', { runId, status: summary.status, ...summary.counts, batches, digest: this.runDigest(runId) });
      })
      .immediate();
  }

  async storageState(storage: string): Promise<StorageState | undefined> {
    const row = this.db.prepare('SELECT * FROM storage_state WHERE storage = ?').get(storage) as
      | { storage: string; files: number; seen_at: string; run_id: number }
      | undefined;
    return row ? { storage: row.storage, files: row.files, seenAt: row.seen_at, runId: row.run_id } : undefined;
  }

  async setStorageState(state: StorageState): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO storage_state (storage, files, seen_at, run_id) VALUES (?, ?, ?, ?) ON CONFLICT(storage) DO UPDATE SET files = excluded.files, seen_at = excluded.seen_at, run_id = excluded.run_id',
      )
      .run(state.storage, state.files, state.seenAt, state.runId);
  }

  async findDeletion(storage: string, relPath: string): Promise<DeletionRecord | undefined> {
    const slash = relPath.lastIndexOf('/');
    const dir = slash < 0 ? '' : relPath.slice(0, slash);
    const name = relPath.slice(slash + 1);
    const rows = this.db
      .prepare("SELECT * FROM purge_batches WHERE storage = ? AND dir = ? AND state = 'done' ORDER BY id")
      .all(storage, dir) as BatchRow[];
    for (const row of rows) {
      if ((JSON.parse(row.names) as string[]).includes(name)) {
        return { runId: row.run_id, storage, path: relPath, deletedAt: row.done_at ?? '', camera: row.camera };
      }
    }
    return undefined;
  }

  // ---------- document versions ----------

  private loadVersion(row: DocumentVersionRow): DocumentVersion {
    const texts = this.db.prepare('SELECT lang, markdown FROM document_texts WHERE version_id = ?').all(row.id) as { lang: string; markdown: string }[];
    const renders = this.db
      .prepare('SELECT lang, format, file, sha256, rendered_at, rendered_by FROM document_renders WHERE version_id = ? ORDER BY id')
      .all(row.id) as { lang: string; format: string; file: string; sha256: string; rendered_at: string; rendered_by: string }[];
    return {
      document: row.document,
      version: row.version,
      inputsHash: row.inputs_hash,
      inputs: JSON.parse(row.inputs) as Record<string, unknown>,
      status: row.status,
      createdAt: row.created_at,
      createdBy: JSON.parse(row.created_by) as Actor,
      texts: Object.fromEntries(texts.map((t) => [t.lang, t.markdown])),
      renders: renders.map((r): DocumentRender => ({ lang: r.lang, format: r.format, file: r.file, sha256: r.sha256, renderedAt: r.rendered_at, renderedBy: r.rendered_by })),
    };
  }

  async documentVersionFor(input: NewDocumentVersion): Promise<{ version: DocumentVersion; created: boolean }> {
    return this.db
      .transaction(() => {
        const latest = this.db.prepare('SELECT * FROM document_versions WHERE document = ? ORDER BY version DESC LIMIT 1').get(input.document) as DocumentVersionRow | undefined;
        if (latest && latest.inputs_hash === input.inputsHash) return { version: this.loadVersion(latest), created: false };
        const version = (latest?.version ?? 0) + 1;
        const createdAt = new Date().toISOString();
        const result = this.db
          .prepare('INSERT INTO document_versions (document, version, inputs_hash, inputs, status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(input.document, version, input.inputsHash, canonicalJson(input.inputs), input.status, createdAt, canonicalJson(this.actor));
        this.appendAuditInTx('document.version', {
          document: input.document,
          version,
          inputsHash: input.inputsHash,
          status: input.status,
          ...(latest ? { previous: latest.version } : {}),
        });
        const row = this.db.prepare('SELECT * FROM document_versions WHERE id = ?').get(Number(result.lastInsertRowid)) as DocumentVersionRow;
        return { version: this.loadVersion(row), created: true };
      })
      .immediate();
  }

  async recordDocumentRender(document: string, version: number, render: Omit<DocumentRender, 'renderedAt' | 'renderedBy'> & { markdown: string }): Promise<void> {
    this.db
      .transaction(() => {
        const id = this.db.prepare('SELECT id FROM document_versions WHERE document = ? AND version = ?').pluck().get(document, version) as number | undefined;
        if (id === undefined) throw new UsageError('document.unknown-version', `There is no version ${version} of ${document} in the register.`);
        this.db.prepare('INSERT OR IGNORE INTO document_texts (version_id, lang, markdown) VALUES (?, ?, ?)').run(id, render.lang, render.markdown);
        this.db
          .prepare('INSERT INTO document_renders (version_id, lang, format, file, sha256, rendered_at, rendered_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(id, render.lang, render.format, render.file, render.sha256, new Date().toISOString(), this.actor.user);
      })
      .immediate();
  }

  async documentVersions(document: string): Promise<DocumentVersion[]> {
    const rows = this.db.prepare('SELECT * FROM document_versions WHERE document = ? ORDER BY version').all(document) as DocumentVersionRow[];
    return rows.map((r) => this.loadVersion(r));
  }

  async documentVersion(document: string, version: number): Promise<DocumentVersion | undefined> {
    const row = this.db.prepare('SELECT * FROM document_versions WHERE document = ? AND version = ?').get(document, version) as DocumentVersionRow | undefined;
    return row ? this.loadVersion(row) : undefined;
  }

  // ---------- exports ----------

  async beginExport(info: NewExport): Promise<ExportRecord> {
    return this.db
      .transaction(() => {
        const year = new Date().getUTCFullYear();
        const count = this.db.prepare('SELECT COUNT(*) FROM exports WHERE id LIKE ?').pluck().get(`E-${year}-%`) as number;
        const id = `E-${year}-${String(count + 1).padStart(4, '0')}`;
        const { packageDir, workDir } = info.paths(id);
        this.db
          .prepare(
            `INSERT INTO exports (id, status, created_at, created_by, pid, host, case_ref, reason, cameras, range_from, range_to, out_dir, package_dir, work_dir, encrypted)
             VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            new Date().toISOString(),
            canonicalJson(this.actor),
            process.pid,
            this.actor.host,
            info.caseRef ?? null,
            info.reason ?? null,
            JSON.stringify(info.cameras),
            info.from,
            info.to,
            info.outDir,
            packageDir,
            workDir,
            info.encrypted ? 1 : 0,
          );
        return toExport(this.db.prepare('SELECT * FROM exports WHERE id = ?').get(id) as ExportRow);
      })
      .immediate();
  }

  async completeExport(id: string, done: ExportCompletion): Promise<{ record: ExportRecord; entry: AuditEntry }> {
    return this.finishExport(id, 'done', 'export.create', done);
  }

  async completeReview(id: string, done: ExportCompletion): Promise<{ record: ExportRecord; entry: AuditEntry }> {
    return this.finishExport(id, 'review', 'export.review', done);
  }

  private finishExport(id: string, status: 'done' | 'review', action: string, done: ExportCompletion): { record: ExportRecord; entry: AuditEntry } {
    return this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT * FROM exports WHERE id = ?').get(id) as ExportRow | undefined;
        if (!row || row.status !== 'running') throw new Error(`export ${id} is not running (${row?.status ?? 'unknown'})`);
        this.db
          .prepare('UPDATE exports SET status = ?, manifest_sha256 = ?, bytes = ?, keep_until = ?, hold_id = ?, finished_at = ? WHERE id = ?')
          .run(status, done.manifestSha256, done.bytes, done.keepUntil ?? null, done.holdId ?? null, new Date().toISOString(), id);
        const entry = this.appendAuditInTx(action, { exportId: id, ...done.audit, ...(done.holdId ? { holdId: done.holdId } : {}) });
        return { record: toExport(this.db.prepare('SELECT * FROM exports WHERE id = ?').get(id) as ExportRow), entry };
      })
      .immediate();
  }

  async abandonExport(id: string, status: 'failed' | 'interrupted', note: string): Promise<ExportRecord> {
    return this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT * FROM exports WHERE id = ?').get(id) as ExportRow | undefined;
        if (!row) throw new Error(`there is no export ${id}`);
        this.db.prepare('UPDATE exports SET status = ?, note = ?, finished_at = ? WHERE id = ?').run(status, note, new Date().toISOString(), id);
        this.appendAuditInTx(`export.${status}`, {
          exportId: id,
          cameras: JSON.parse(row.cameras) as string[],
          from: new Date(row.range_from).toISOString(),
          to: new Date(row.range_to).toISOString(),
          ...(row.case_ref !== null ? { case: row.case_ref } : {}),
          note,
        });
        return toExport(this.db.prepare('SELECT * FROM exports WHERE id = ?').get(id) as ExportRow);
      })
      .immediate();
  }

  async markExportPurged(id: string, details: Record<string, unknown>): Promise<AuditEntry> {
    return this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT * FROM exports WHERE id = ?').get(id) as ExportRow | undefined;
        if (!row) throw new Error(`there is no export ${id}`);
        this.db.prepare("UPDATE exports SET status = 'purged', purged_at = ? WHERE id = ?").run(new Date().toISOString(), id);
        return this.appendAuditInTx('export.purge', { exportId: id, ...(row.manifest_sha256 ? { manifestSha256: row.manifest_sha256 } : {}), ...details });
      })
      .immediate();
  }

  async getExport(id: string): Promise<ExportRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM exports WHERE id = ? COLLATE NOCASE').get(id) as ExportRow | undefined;
    return row ? toExport(row) : undefined;
  }

  async listExports(options: { statuses?: ExportStatus[] } = {}): Promise<ExportRecord[]> {
    const statuses = options.statuses ?? [];
    const sql = `SELECT * FROM exports${statuses.length ? ` WHERE status IN (${statuses.map(() => '?').join(', ')})` : ''} ORDER BY created_at, id`;
    return (this.db.prepare(sql).all(...statuses) as ExportRow[]).map(toExport);
  }

  // ---------- data-subject requests ----------

  private rightsRow(id: string): RightsRow | undefined {
    return this.db.prepare('SELECT * FROM rights_requests WHERE id = ? COLLATE NOCASE').get(id) as RightsRow | undefined;
  }

  private linkInTx(requestId: string, seq: number): void {
    this.db.prepare('INSERT OR IGNORE INTO rights_events (request_id, audit_seq) VALUES (?, ?)').run(requestId, seq);
  }

  async addRightsRequest(input: NewRightsRequest): Promise<{ request: RightsRequest; hold?: Hold; entry: AuditEntry }> {
    return this.db
      .transaction(() => {
        const prefix = `R-${input.receivedOn.slice(0, 4)}-`;
        const last = this.db.prepare('SELECT MAX(id) FROM rights_requests WHERE id LIKE ?').pluck().get(`${prefix}%`) as string | null;
        const id = `${prefix}${String((last ? Number(last.slice(prefix.length)) : 0) + 1).padStart(4, '0')}`;
        let hold: Hold | undefined;
        if (input.hold) hold = this.addHoldInTx({ kind: 'request', caseRef: id, ...input.hold });
        this.db
          .prepare(
            `INSERT INTO rights_requests (id, type, state, requester, relation, subject, subject_birthdate, cameras, range_from, range_to, description,
               received_on, due_on, hold_id, created_at, created_by)
             VALUES (?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            input.type,
            input.requester,
            input.relation,
            input.subject,
            input.subjectBirthdate ?? null,
            JSON.stringify(input.cameras),
            input.from ?? null,
            input.to ?? null,
            input.description ?? null,
            input.receivedOn,
            input.dueOn,
            hold?.id ?? null,
            new Date().toISOString(),
            canonicalJson(this.actor),
          );
        const entry = this.appendAuditInTx('rights.request', { requestId: id, ...input.audit, ...(hold ? { holdId: hold.id } : {}) });
        if (hold) this.linkInTx(id, entry.seq - 1);
        this.linkInTx(id, entry.seq);
        return { request: toRights(this.rightsRow(id)!), ...(hold ? { hold } : {}), entry };
      })
      .immediate();
  }

  async getRightsRequest(id: string): Promise<RightsRequest | undefined> {
    const row = this.rightsRow(id);
    return row ? toRights(row) : undefined;
  }

  async listRightsRequests(options: { open?: boolean } = {}): Promise<RightsRequest[]> {
    const sql = `SELECT * FROM rights_requests${options.open ? ' WHERE closed_at IS NULL' : ''} ORDER BY received_on, id`;
    return (this.db.prepare(sql).all() as RightsRow[]).map(toRights);
  }

  async recordRightsStep(id: string, step: RightsStep): Promise<{ request: RightsRequest; entry: AuditEntry; hold?: Hold }> {
    return this.db
      .transaction(() => {
        const row = this.rightsRow(id);
        if (!row) throw new UsageError('rights.unknown', `There is no request ${id}; \`toezicht rights list\` shows the requests.`);
        if (step.expectStates && !step.expectStates.includes(row.state as RightsState)) {
          throw new RefusalError('rights.state', `Request ${row.id} is ${row.state}, so this step cannot be taken now; nothing changed.`);
        }
        let hold: Hold | undefined;
        const linked: number[] = [];
        if (step.releaseHold) {
          this.releaseHoldInTx(step.releaseHold.id, step.releaseHold.reason);
          linked.push(this.auditHead());
        }
        if (step.addHold) {
          hold = this.addHoldInTx({ ...step.addHold, caseRef: row.id });
          linked.push(this.auditHead());
        }
        const set: RightsChanges = { ...step.set, ...(hold && step.addHold?.kind === 'restriction' ? { restrictionHoldId: hold.id } : {}) };
        const entries = Object.entries(set).filter(([, v]) => v !== undefined) as [keyof RightsChanges, unknown][];
        if (entries.length) {
          const columns = entries.map(([k]) => `${RIGHTS_COLUMNS[k][0]} = ?`).join(', ');
          this.db.prepare(`UPDATE rights_requests SET ${columns} WHERE id = ?`).run(...entries.map(([k, v]) => RIGHTS_COLUMNS[k][1](v)), row.id);
        }
        const entry = this.appendAuditInTx(step.action, { requestId: row.id, ...step.details, ...(hold ? { holdId: hold.id } : {}) });
        for (const seq of [...linked, entry.seq]) this.linkInTx(row.id, seq);
        return { request: toRights(this.rightsRow(row.id)!), entry, ...(hold ? { hold } : {}) };
      })
      .immediate();
  }

  private auditHead(): number {
    return Number(this.db.prepare("SELECT value FROM meta WHERE key = 'audit_head_seq'").pluck().get());
  }

  async linkRightsEntry(id: string, seq: number): Promise<void> {
    const row = this.rightsRow(id);
    if (!row) throw new UsageError('rights.unknown', `There is no request ${id}.`);
    this.linkInTx(row.id, seq);
  }

  async rightsHistory(id: string): Promise<AuditEntry[]> {
    const rows = this.db
      .prepare('SELECT a.* FROM rights_events e JOIN audit a ON a.seq = e.audit_seq WHERE e.request_id = ? COLLATE NOCASE ORDER BY a.seq')
      .all(id) as AuditRow[];
    return rows.map(toAudit);
  }

  async deletionsInRange(camera: string, from: number, to: number): Promise<RangeDeletion[]> {
    const rows = this.db
      .prepare(
        `SELECT b.run_id, r.options, b.storage, b.camera, b.names, b.first_start, b.last_end, b.done_at
         FROM purge_batches b JOIN purge_runs r ON r.id = b.run_id
         WHERE b.camera = ? AND b.state = 'done' AND b.first_start <= ? AND b.last_end >= ? ORDER BY b.id`,
      )
      .all(camera, to, from) as { run_id: number; options: string; storage: string; camera: string; names: string; first_start: number; last_end: number; done_at: string | null }[];
    return rows
      .map((r) => ({
        runId: r.run_id,
        runOptions: JSON.parse(r.options) as Record<string, unknown>,
        storage: r.storage,
        camera: r.camera,
        files: (JSON.parse(r.names) as string[]).length,
        firstStart: r.first_start,
        lastEnd: r.last_end,
        deletedAt: r.done_at ?? '',
      }))
      .filter((d) => d.files > 0);
  }

  close(): void {
    this.lockDb?.close();
    this.db.close();
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
