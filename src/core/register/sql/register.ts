// The register's domain logic, written once over the SQL layer (sql/types.ts) for every backend: holds, purge runs
// with their write-ahead deletion records, document versions, exports, and the audit chain. Every destructive or
// disclosing action appends its audit entry in the same transaction as the action.
import { BusyError, RefusalError, ToezichtError, UsageError } from '../../errors.js';
import { canonicalJson } from '../chain.js';
import type {
  Actor,
  AuditEntry,
  AuditVerification,
  ChainHead,
  DeletionRecord,
  DocumentRender,
  DocumentVersion,
  ExportCompletion,
  ExportRecord,
  ExportStatus,
  Hold,
  HoldTampering,
  InterruptedRun,
  LegalHoldRecord,
  NewRightsRequest,
  RangeDeletion,
  RecoveredHold,
  RightsChanges,
  RightsRequest,
  RightsState,
  RightsStep,
  NewDocumentVersion,
  NewExport,
  NewHold,
  PurgeBatch,
  PurgeLock,
  PurgeRunInfo,
  Register,
  RunSummary,
  StorageState,
} from '../types.js';
import { appendAuditTx, auditEntries, runDigest, verifyAudit } from './audit.js';
import { compareHoldsWithChain } from './holds-chain.js';
import { RIGHTS_COLUMNS, toAudit, toExport, toHold, toRights, type AuditRow, type BatchRow, type DocumentVersionRow, type ExportRow, type HoldRow, type RightsRow } from './rows.js';
import { pages, type HeldLock, type SqlDatabase, type SqlExecutor } from './types.js';

export class SqlRegister implements Register {
  readonly location: string;
  readonly actor: Actor;
  /** Things the user should fix but that do not stop the command (file mode). */
  readonly warnings: string[] = [];
  protected readonly db: SqlDatabase;
  private purgeLock?: HeldLock;

  constructor(db: SqlDatabase, location: string, actor: Actor) {
    this.db = db;
    this.location = location;
    this.actor = actor;
  }

  /** The SQL layer underneath, for copying a register (`register migrate`). */
  get database(): SqlDatabase {
    return this.db;
  }

  /** Appends an audit entry inside a write transaction the caller runs on this register's database. */
  appendInTransaction(tx: SqlExecutor, action: string, details: Record<string, unknown>): Promise<AuditEntry> {
    return this.audit(tx, action, details);
  }

  protected audit(tx: SqlExecutor, action: string, details: Record<string, unknown>): Promise<AuditEntry> {
    return appendAuditTx(tx, this.location, this.actor, action, details);
  }

  // ---------- audit chain ----------

  appendAudit(action: string, details: Record<string, unknown>): Promise<AuditEntry> {
    return this.db.write((tx) => this.audit(tx, action, details));
  }

  auditEntries(options: { sinceMs?: number; action?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    return auditEntries(this.db, options);
  }

  verifyAudit(): Promise<AuditVerification> {
    return this.db.read(async (tx) => {
      const result = await verifyAudit(tx);
      const tamperedHolds = await compareHoldsWithChain(tx);
      return { ...result, ok: result.ok && tamperedHolds.length === 0, tamperedHolds };
    });
  }

  async registerId(): Promise<string> {
    const row = await this.db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'register_id'");
    if (!row?.value) throw new RefusalError('register.no-id', `The register ${this.location} has no register id (its meta table was edited); restore it from a backup with \`toezicht register restore\`, or rebuild it with \`toezicht register recover\`.`);
    return row.value;
  }

  async integrityCheck(): Promise<string | undefined> {
    const problem = await this.db.integrityCheck();
    if (problem) return problem;
    const id = await this.db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'register_id'");
    return id?.value ? undefined : 'it has no register id (its meta table was edited)';
  }

  async auditHead(): Promise<ChainHead> {
    const meta = await this.db.all<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key LIKE 'audit_head_%'");
    return { seq: Number(meta.find((m) => m.key === 'audit_head_seq')?.value ?? 0), hash: meta.find((m) => m.key === 'audit_head_hash')?.value ?? '' };
  }

  async auditEntry(seq: number): Promise<AuditEntry | undefined> {
    const row = await this.db.get<AuditRow>('SELECT * FROM audit WHERE seq = ?', [seq]);
    return row ? toAudit(row) : undefined;
  }

  checkHoldsAgainstChain(): Promise<HoldTampering[]> {
    return this.db.read((tx) => compareHoldsWithChain(tx));
  }

  importHold(hold: RecoveredHold): Promise<Hold> {
    return this.db.write(async (tx) => {
      const exists = await tx.get<{ id: string }>('SELECT id FROM holds WHERE UPPER(id) = UPPER(?)', [hold.id]);
      if (exists) throw new UsageError('hold.exists', `Hold ${hold.id} is already in the register; nothing changed.`);
      await tx.run('INSERT INTO holds (id, kind, case_ref, reason, range_from, range_to, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        hold.id,
        hold.kind,
        hold.caseRef,
        hold.reason,
        hold.from,
        hold.to,
        hold.createdAt,
        canonicalJson(this.actor),
      ]);
      const cameras = [...new Set(hold.cameras)].sort();
      for (const camera of cameras) await tx.run('INSERT INTO hold_cameras (hold_id, camera) VALUES (?, ?)', [hold.id, camera]);
      await this.bumpHoldsVersion(tx);
      const content = { holdId: hold.id, kind: hold.kind, case: hold.caseRef, reason: hold.reason, cameras, from: new Date(hold.from).toISOString(), to: new Date(hold.to).toISOString() };
      await this.audit(tx, 'hold.add', { ...content, recovered: { createdAt: hold.createdAt, from: hold.foundIn } });
      if (hold.released) {
        await tx.run('UPDATE holds SET released_at = ?, released_by = ?, release_reason = ? WHERE id = ?', [hold.released.at, canonicalJson(this.actor), hold.released.reason, hold.id]);
        await this.audit(tx, 'hold.release', { ...content, reason: hold.released.reason, releasedAt: hold.released.at, recovered: true });
      }
      return (await this.holdsWhere(tx, ' WHERE h.id = ?', [hold.id]))[0]!;
    });
  }

  // ---------- holds ----------

  private async holdsWhere(tx: SqlExecutor, where: string, params: unknown[]): Promise<Hold[]> {
    const rows = await tx.all<HoldRow>(`SELECT * FROM holds h${where} ORDER BY h.created_at, h.id`, params);
    if (!rows.length) return [];
    const cameras = await tx.all<{ hold_id: string; camera: string }>(
      `SELECT hold_id, camera FROM hold_cameras WHERE hold_id IN (SELECT h.id FROM holds h${where})`,
      params,
    );
    const byHold = new Map<string, string[]>();
    for (const c of cameras) {
      let list = byHold.get(c.hold_id);
      if (!list) byHold.set(c.hold_id, (list = []));
      list.push(c.camera);
    }
    return rows.map((r) => toHold(r, byHold.get(r.id) ?? []));
  }

  private async addHoldTx(tx: SqlExecutor, hold: NewHold): Promise<Hold> {
    {
      const year = new Date().getUTCFullYear();
      // The next number after the highest (not the count): holds kept by `register recover` keep their ids.
      const taken = await tx.all<{ id: string }>('SELECT id FROM holds WHERE id LIKE ?', [`H-${year}-%`]);
      const highest = taken.reduce((max, r) => Math.max(max, Number(r.id.slice(`H-${year}-`.length)) || 0), 0);
      const id = `H-${year}-${String(highest + 1).padStart(4, '0')}`;
      await tx.run('INSERT INTO holds (id, kind, case_ref, reason, range_from, range_to, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        id,
        hold.kind ?? 'case',
        hold.caseRef,
        hold.reason,
        hold.from,
        hold.to,
        new Date().toISOString(),
        canonicalJson(this.actor),
      ]);
      for (const camera of new Set(hold.cameras)) await tx.run('INSERT INTO hold_cameras (hold_id, camera) VALUES (?, ?)', [id, camera]);
      await this.bumpHoldsVersion(tx);
      await this.audit(tx, 'hold.add', {
        holdId: id,
        kind: hold.kind ?? 'case',
        case: hold.caseRef,
        reason: hold.reason,
        cameras: [...new Set(hold.cameras)].sort(),
        from: new Date(hold.from).toISOString(),
        to: new Date(hold.to).toISOString(),
        ...(hold.schools?.length ? { schools: [...new Set(hold.schools)].sort() } : {}),
      });
      return (await this.holdsWhere(tx, ' WHERE h.id = ?', [id]))[0]!;
    }
  }

  addHold(hold: NewHold): Promise<Hold> {
    return this.db.write((tx) => this.addHoldTx(tx, hold));
  }

  async getHold(id: string): Promise<Hold | undefined> {
    return (await this.holdsWhere(this.db, ' WHERE UPPER(h.id) = UPPER(?)', [id]))[0];
  }

  listHolds(options: { includeReleased?: boolean } = {}): Promise<Hold[]> {
    return this.holdsWhere(this.db, options.includeReleased ? '' : ' WHERE h.released_at IS NULL', []);
  }

  private async releaseHoldTx(tx: SqlExecutor, id: string, reason: string): Promise<Hold> {
    {
      const row = await tx.get<HoldRow>('SELECT * FROM holds WHERE UPPER(id) = UPPER(?)', [id]);
      if (!row) throw new UsageError('hold.unknown', `There is no hold ${id}; \`toezicht footage hold list --all\` shows the holds.`);
      if (row.released_at) throw new UsageError('hold.released', `Hold ${row.id} was already released on ${row.released_at}; nothing changed.`);
      await tx.run('UPDATE holds SET released_at = ?, released_by = ?, release_reason = ? WHERE id = ?', [new Date().toISOString(), canonicalJson(this.actor), reason, row.id]);
      await this.bumpHoldsVersion(tx);
      // The whole hold, so that the chain alone says which holds are active and what they cover.
      const cameras = (await tx.all<{ camera: string }>('SELECT camera FROM hold_cameras WHERE hold_id = ? ORDER BY camera', [row.id])).map((c) => c.camera);
      await this.audit(tx, 'hold.release', {
        holdId: row.id,
        kind: row.kind,
        case: row.case_ref,
        reason,
        cameras,
        from: new Date(Number(row.range_from)).toISOString(),
        to: new Date(Number(row.range_to)).toISOString(),
      });
      return (await this.holdsWhere(tx, ' WHERE h.id = ?', [row.id]))[0]!;
    }
  }

  releaseHold(id: string, reason: string): Promise<Hold> {
    return this.db.write((tx) => this.releaseHoldTx(tx, id, reason));
  }

  recordLegalHolds(holdId: string, storage: string, versions: { relPath: string; versionId: string; placed: boolean }[]): Promise<void> {
    return this.db.write(async (tx) => {
      const at = new Date().toISOString();
      for (const v of versions) {
        await tx.run(
          'INSERT INTO object_legal_holds (hold_id, storage, rel_path, version_id, placed, recorded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hold_id, storage, rel_path, version_id) DO NOTHING',
          [holdId, storage, v.relPath, v.versionId, v.placed ? 1 : 0, at],
        );
      }
      await this.audit(tx, 'hold.object-lock', {
        holdId,
        storage,
        placed: versions.filter((v) => v.placed).length,
        alreadyOn: versions.filter((v) => !v.placed).length,
      });
    });
  }

  async legalHolds(filter: { holdId: string } | { storage: string; relPath: string; versionId: string }): Promise<LegalHoldRecord[]> {
    type Row = { hold_id: string; storage: string; rel_path: string; version_id: string; placed: number; lifted_at: string | null };
    const rows =
      'holdId' in filter
        ? await this.db.all<Row>('SELECT * FROM object_legal_holds WHERE hold_id = ? ORDER BY storage, rel_path, version_id', [filter.holdId])
        : await this.db.all<Row>('SELECT * FROM object_legal_holds WHERE storage = ? AND rel_path = ? AND version_id = ? ORDER BY hold_id', [filter.storage, filter.relPath, filter.versionId]);
    return rows.map((r) => ({
      holdId: r.hold_id,
      storage: r.storage,
      relPath: r.rel_path,
      versionId: r.version_id,
      placed: Number(r.placed) === 1,
      ...(r.lifted_at ? { liftedAt: r.lifted_at } : {}),
    }));
  }

  recordLegalHoldsLifted(holdId: string, storage: string, lifted: { relPath: string; versionId: string }[], handedOver: { relPath: string; versionId: string; toHold: string }[]): Promise<void> {
    return this.db.write(async (tx) => {
      const at = new Date().toISOString();
      for (const v of lifted) {
        await tx.run('UPDATE object_legal_holds SET lifted_at = ? WHERE hold_id = ? AND storage = ? AND rel_path = ? AND version_id = ?', [at, holdId, storage, v.relPath, v.versionId]);
      }
      for (const v of handedOver) {
        await tx.run('UPDATE object_legal_holds SET placed = 0 WHERE hold_id = ? AND storage = ? AND rel_path = ? AND version_id = ?', [holdId, storage, v.relPath, v.versionId]);
        await tx.run('UPDATE object_legal_holds SET placed = 1 WHERE hold_id = ? AND storage = ? AND rel_path = ? AND version_id = ?', [v.toHold, storage, v.relPath, v.versionId]);
      }
      await this.audit(tx, 'hold.object-lock-release', { holdId, storage, lifted: lifted.length, handedOver: handedOver.length });
    });
  }

  private async bumpHoldsVersion(tx: SqlExecutor): Promise<void> {
    const current = await tx.get<{ value: string }>("SELECT value FROM meta WHERE key = 'holds_version'");
    await tx.run("UPDATE meta SET value = ? WHERE key = 'holds_version'", [String(Number(current?.value ?? 0) + 1)]);
  }

  async holdsVersion(): Promise<number> {
    return Number((await this.db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'holds_version'"))?.value ?? 0);
  }

  // ---------- purge runs ----------

  async acquirePurgeLock(): Promise<PurgeLock> {
    const lock = await this.db.tryLock('purge');
    if (!lock) {
      const running = await this.db.get<{ id: number; started_at: string; pid: number; actor: string }>(
        "SELECT id, started_at, pid, actor FROM purge_runs WHERE status = 'running' ORDER BY id DESC LIMIT 1",
      );
      const actor = running ? (JSON.parse(running.actor) as Actor) : undefined;
      const who = running ? ` (run ${running.id}, pid ${running.pid}${actor && actor.host ? ` on ${actor.host}` : ''}, by ${actor?.user}, since ${running.started_at})` : '';
      throw new BusyError('purge.busy', `Another purge is running${who}; this one stopped without deleting anything. Try again when it has finished.`);
    }
    this.purgeLock = lock;
    return {
      release: () => {
        if (this.purgeLock === lock) this.purgeLock = undefined;
        void lock.release();
      },
    };
  }

  private requireLock(): void {
    if (!this.purgeLock) throw new Error('this needs the purge lock');
    if (this.purgeLock.lost) {
      throw new ToezichtError('purge.lock-lost', 'The connection that held the purge lock was lost, so another purge may have started; this run stopped. Run the purge again.');
    }
  }

  async settleInterruptedRuns(gone: (storage: string, relPath: string) => Promise<boolean>): Promise<InterruptedRun[]> {
    this.requireLock();
    const runs = await this.db.all<{ id: number; started_at: string }>("SELECT id, started_at FROM purge_runs WHERE status = 'running' ORDER BY id");
    const settled: InterruptedRun[] = [];
    for (const run of runs) {
      let deleted = 0;
      let left = 0;
      const planned = await this.db.all<BatchRow>("SELECT * FROM purge_batches WHERE run_id = ? AND state = 'planned' ORDER BY id", [run.id]);
      for (const batch of planned) {
        const names = JSON.parse(batch.names) as string[];
        const goneNames: string[] = [];
        for (const name of names) {
          if (await gone(batch.storage, batch.dir ? `${batch.dir}/${name}` : name)) goneNames.push(name);
        }
        deleted += goneNames.length;
        left += names.length - goneNames.length;
        // Sizes were taken per file as it was deleted and are lost with the process: only the files are certain.
        await this.db.run("UPDATE purge_batches SET names = ?, bytes = 0, state = 'done', done_at = ? WHERE id = ?", [JSON.stringify(goneNames), new Date().toISOString(), batch.id]);
      }
      let doneFiles = 0;
      for await (const b of pages<{ id: number; names: string }>(this.db, (after) => `SELECT id, names FROM purge_batches WHERE run_id = ? AND state = 'done' AND id > ${after} ORDER BY id`, 'id', [run.id])) {
        doneFiles += (JSON.parse(b.names) as string[]).length;
      }
      await this.db.write(async (tx) => {
        const summary = { status: 'interrupted', counts: { deletedFiles: doneFiles, settledFromJournal: deleted, leftForNextRun: left } };
        await tx.run("UPDATE purge_runs SET status = 'interrupted', finished_at = ?, summary = ? WHERE id = ?", [new Date().toISOString(), JSON.stringify(summary), run.id]);
        await this.audit(tx, 'purge.interrupted', { runId: run.id, deletedFiles: doneFiles, leftForNextRun: left, digest: await runDigest(tx, run.id) });
      });
      settled.push({ runId: run.id, startedAt: run.started_at, deleted: doneFiles, left });
    }
    return settled;
  }

  async beginPurgeRun(info: PurgeRunInfo): Promise<number> {
    const row = await this.db.write((tx) =>
      tx.get<{ id: number }>("INSERT INTO purge_runs (started_at, now_ms, status, actor, pid, options) VALUES (?, ?, 'running', ?, ?, ?) RETURNING id", [
        new Date().toISOString(),
        info.now,
        canonicalJson(this.actor),
        process.pid,
        canonicalJson(info.options),
      ]),
    );
    return Number(row!.id);
  }

  planBatch(runId: number, batch: PurgeBatch, holdsVersion: number): Promise<number | undefined> {
    if (this.purgeLock?.lost) this.requireLock();
    return this.db.write(async (tx) => {
      // Holds are written under the same write lock, so none can slip in between this check and the insert.
      const current = await tx.get<{ value: string }>("SELECT value FROM meta WHERE key = 'holds_version'");
      if (Number(current?.value ?? 0) !== holdsVersion) return undefined;
      const row = await tx.get<{ id: number }>(
        "INSERT INTO purge_batches (run_id, storage, dir, camera, names, bytes, first_start, last_end, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'planned') RETURNING id",
        [runId, batch.storage, batch.dir, batch.camera, JSON.stringify(batch.names), batch.bytes, batch.firstStart, batch.lastEnd],
      );
      return Number(row!.id);
    });
  }

  async completeBatch(batchId: number, deleted: string[], bytes: number): Promise<void> {
    await this.db.run("UPDATE purge_batches SET names = ?, bytes = ?, state = 'done', done_at = ? WHERE id = ?", [JSON.stringify(deleted), bytes, new Date().toISOString(), batchId]);
  }

  finishPurgeRun(runId: number, summary: RunSummary): Promise<AuditEntry> {
    return this.db.write(async (tx) => {
      await tx.run('UPDATE purge_runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?', [summary.status, new Date().toISOString(), JSON.stringify(summary), runId]);
      const batches = await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM purge_batches WHERE run_id = ? AND state = 'done'", [runId]);
      return this.audit(tx, 'purge.run', { runId, status: summary.status, ...summary.counts, batches: Number(batches?.n ?? 0), digest: await runDigest(tx, runId) });
    });
  }

  async storageState(storage: string): Promise<StorageState | undefined> {
    const row = await this.db.get<{ storage: string; files: number; seen_at: string; run_id: number }>('SELECT * FROM storage_state WHERE storage = ?', [storage]);
    return row ? { storage: row.storage, files: Number(row.files), seenAt: row.seen_at, runId: Number(row.run_id) } : undefined;
  }

  async setStorageState(state: StorageState): Promise<void> {
    await this.db.run(
      'INSERT INTO storage_state (storage, files, seen_at, run_id) VALUES (?, ?, ?, ?) ON CONFLICT (storage) DO UPDATE SET files = excluded.files, seen_at = excluded.seen_at, run_id = excluded.run_id',
      [state.storage, state.files, state.seenAt, state.runId],
    );
  }

  async findDeletion(storage: string, relPath: string): Promise<DeletionRecord | undefined> {
    const slash = relPath.lastIndexOf('/');
    const dir = slash < 0 ? '' : relPath.slice(0, slash);
    const name = relPath.slice(slash + 1);
    const rows = await this.db.all<BatchRow>("SELECT * FROM purge_batches WHERE storage = ? AND dir = ? AND state = 'done' ORDER BY id", [storage, dir]);
    for (const row of rows) {
      if ((JSON.parse(row.names) as string[]).includes(name)) return { runId: row.run_id, storage, path: relPath, deletedAt: row.done_at ?? '', camera: row.camera };
    }
    return undefined;
  }

  // ---------- document versions ----------

  private async loadVersion(tx: SqlExecutor, row: DocumentVersionRow): Promise<DocumentVersion> {
    const texts = await tx.all<{ lang: string; markdown: string }>('SELECT lang, markdown FROM document_texts WHERE version_id = ?', [row.id]);
    const renders = await tx.all<{ lang: string; format: string; file: string; sha256: string; rendered_at: string; rendered_by: string }>(
      'SELECT lang, format, file, sha256, rendered_at, rendered_by FROM document_renders WHERE version_id = ? ORDER BY id',
      [row.id],
    );
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

  documentVersionFor(input: NewDocumentVersion): Promise<{ version: DocumentVersion; created: boolean }> {
    return this.db.write(async (tx) => {
      const latest = await tx.get<DocumentVersionRow>('SELECT * FROM document_versions WHERE document = ? ORDER BY version DESC LIMIT 1', [input.document]);
      if (latest && latest.inputs_hash === input.inputsHash) return { version: await this.loadVersion(tx, latest), created: false };
      const version = (latest?.version ?? 0) + 1;
      const row = await tx.get<DocumentVersionRow>(
        'INSERT INTO document_versions (document, version, inputs_hash, inputs, status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *',
        [input.document, version, input.inputsHash, canonicalJson(input.inputs), input.status, new Date().toISOString(), canonicalJson(this.actor)],
      );
      await this.audit(tx, 'document.version', {
        document: input.document,
        version,
        inputsHash: input.inputsHash,
        status: input.status,
        ...(latest ? { previous: latest.version } : {}),
      });
      return { version: await this.loadVersion(tx, row!), created: true };
    });
  }

  async recordDocumentRender(document: string, version: number, render: Omit<DocumentRender, 'renderedAt' | 'renderedBy'> & { markdown: string }): Promise<void> {
    await this.db.write(async (tx) => {
      const row = await tx.get<{ id: number }>('SELECT id FROM document_versions WHERE document = ? AND version = ?', [document, version]);
      if (!row) throw new UsageError('document.unknown-version', `There is no version ${version} of ${document} in the register.`);
      await tx.run('INSERT INTO document_texts (version_id, lang, markdown) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [row.id, render.lang, render.markdown]);
      await tx.run('INSERT INTO document_renders (version_id, lang, format, file, sha256, rendered_at, rendered_by) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        row.id,
        render.lang,
        render.format,
        render.file,
        render.sha256,
        new Date().toISOString(),
        this.actor.user,
      ]);
    });
  }

  documentVersions(document: string): Promise<DocumentVersion[]> {
    return this.db.read(async (tx) => {
      const rows = await tx.all<DocumentVersionRow>('SELECT * FROM document_versions WHERE document = ? ORDER BY version', [document]);
      const out: DocumentVersion[] = [];
      for (const r of rows) out.push(await this.loadVersion(tx, r));
      return out;
    });
  }

  documentVersion(document: string, version: number): Promise<DocumentVersion | undefined> {
    return this.db.read(async (tx) => {
      const row = await tx.get<DocumentVersionRow>('SELECT * FROM document_versions WHERE document = ? AND version = ?', [document, version]);
      return row ? this.loadVersion(tx, row) : undefined;
    });
  }

  // ---------- exports ----------

  private async exportRow(tx: SqlExecutor, id: string): Promise<ExportRow | undefined> {
    return tx.get<ExportRow>('SELECT * FROM exports WHERE id = ?', [id]);
  }

  beginExport(info: NewExport): Promise<ExportRecord> {
    return this.db.write(async (tx) => {
      const year = new Date().getUTCFullYear();
      const count = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM exports WHERE id LIKE ?', [`E-${year}-%`]);
      const id = `E-${year}-${String(Number(count?.n ?? 0) + 1).padStart(4, '0')}`;
      const { packageDir, workDir } = info.paths(id);
      await tx.run(
        `INSERT INTO exports (id, status, created_at, created_by, pid, host, case_ref, reason, cameras, range_from, range_to, out_dir, package_dir, work_dir, encrypted)
         VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
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
        ],
      );
      return toExport((await this.exportRow(tx, id))!);
    });
  }

  completeExport(id: string, done: ExportCompletion): Promise<{ record: ExportRecord; entry: AuditEntry }> {
    return this.finishExport(id, 'done', 'export.create', done);
  }

  completeReview(id: string, done: ExportCompletion): Promise<{ record: ExportRecord; entry: AuditEntry }> {
    return this.finishExport(id, 'review', 'export.review', done);
  }

  private finishExport(id: string, status: 'done' | 'review', action: string, done: ExportCompletion): Promise<{ record: ExportRecord; entry: AuditEntry }> {
    return this.db.write(async (tx) => {
      const row = await this.exportRow(tx, id);
      if (!row || row.status !== 'running') throw new Error(`export ${id} is not running (${row?.status ?? 'unknown'})`);
      await tx.run('UPDATE exports SET status = ?, manifest_sha256 = ?, bytes = ?, keep_until = ?, hold_id = ?, finished_at = ? WHERE id = ?', [
        status,
        done.manifestSha256,
        done.bytes,
        done.keepUntil ?? null,
        done.holdId ?? null,
        new Date().toISOString(),
        id,
      ]);
      const entry = await this.audit(tx, action, { exportId: id, ...done.audit, ...(done.holdId ? { holdId: done.holdId } : {}) });
      return { record: toExport((await this.exportRow(tx, id))!), entry };
    });
  }

  abandonExport(id: string, status: 'failed' | 'interrupted', note: string): Promise<ExportRecord> {
    return this.db.write(async (tx) => {
      const row = await this.exportRow(tx, id);
      if (!row) throw new Error(`there is no export ${id}`);
      await tx.run('UPDATE exports SET status = ?, note = ?, finished_at = ? WHERE id = ?', [status, note, new Date().toISOString(), id]);
      await this.audit(tx, `export.${status}`, {
        exportId: id,
        cameras: JSON.parse(row.cameras) as string[],
        from: new Date(row.range_from).toISOString(),
        to: new Date(row.range_to).toISOString(),
        ...(row.case_ref !== null ? { case: row.case_ref } : {}),
        note,
      });
      return toExport((await this.exportRow(tx, id))!);
    });
  }

  markExportPurged(id: string, details: Record<string, unknown>): Promise<AuditEntry> {
    return this.db.write(async (tx) => {
      const row = await this.exportRow(tx, id);
      if (!row) throw new Error(`there is no export ${id}`);
      await tx.run("UPDATE exports SET status = 'purged', purged_at = ? WHERE id = ?", [new Date().toISOString(), id]);
      return this.audit(tx, 'export.purge', { exportId: id, ...(row.manifest_sha256 ? { manifestSha256: row.manifest_sha256 } : {}), ...details });
    });
  }

  async getExport(id: string): Promise<ExportRecord | undefined> {
    const row = await this.db.get<ExportRow>('SELECT * FROM exports WHERE UPPER(id) = UPPER(?)', [id]);
    return row ? toExport(row) : undefined;
  }

  async listExports(options: { statuses?: ExportStatus[] } = {}): Promise<ExportRecord[]> {
    const statuses = options.statuses ?? [];
    const sql = `SELECT * FROM exports${statuses.length ? ` WHERE status IN (${statuses.map(() => '?').join(', ')})` : ''} ORDER BY created_at, id`;
    return (await this.db.all<ExportRow>(sql, statuses)).map(toExport);
  }

  // ---------- data-subject requests ----------

  private rightsRow(tx: SqlExecutor, id: string): Promise<RightsRow | undefined> {
    return tx.get<RightsRow>('SELECT * FROM rights_requests WHERE UPPER(id) = UPPER(?)', [id]);
  }

  private async linkTx(tx: SqlExecutor, requestId: string, seq: number): Promise<void> {
    await tx.run('INSERT INTO rights_events (request_id, audit_seq) VALUES (?, ?) ON CONFLICT (request_id, audit_seq) DO NOTHING', [requestId, seq]);
  }

  private async headSeq(tx: SqlExecutor): Promise<number> {
    const row = await tx.get<{ value: string }>("SELECT value FROM meta WHERE key = 'audit_head_seq'");
    return Number(row?.value ?? 0);
  }

  addRightsRequest(input: NewRightsRequest): Promise<{ request: RightsRequest; hold?: Hold; entry: AuditEntry }> {
    return this.db.write(async (tx) => {
      const prefix = `R-${input.receivedOn.slice(0, 4)}-`;
      const last = await tx.get<{ id: string | null }>('SELECT MAX(id) AS id FROM rights_requests WHERE id LIKE ?', [`${prefix}%`]);
      const id = `${prefix}${String((last?.id ? Number(last.id.slice(prefix.length)) : 0) + 1).padStart(4, '0')}`;
      let hold: Hold | undefined;
      let holdSeq: number | undefined;
      if (input.hold) {
        hold = await this.addHoldTx(tx, { kind: 'request', caseRef: id, ...input.hold });
        holdSeq = await this.headSeq(tx);
      }
      await tx.run(
        `INSERT INTO rights_requests (id, type, state, requester, relation, subject, subject_birthdate, cameras, range_from, range_to, description,
           received_on, due_on, hold_id, created_at, created_by)
         VALUES (?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
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
        ],
      );
      const entry = await this.audit(tx, 'rights.request', { requestId: id, ...input.audit, ...(hold ? { holdId: hold.id } : {}) });
      if (holdSeq !== undefined) await this.linkTx(tx, id, holdSeq);
      await this.linkTx(tx, id, entry.seq);
      return { request: toRights((await this.rightsRow(tx, id))!), ...(hold ? { hold } : {}), entry };
    });
  }

  async getRightsRequest(id: string): Promise<RightsRequest | undefined> {
    const row = await this.rightsRow(this.db, id);
    return row ? toRights(row) : undefined;
  }

  async listRightsRequests(options: { open?: boolean } = {}): Promise<RightsRequest[]> {
    const sql = `SELECT * FROM rights_requests${options.open ? ' WHERE closed_at IS NULL' : ''} ORDER BY received_on, id`;
    return (await this.db.all<RightsRow>(sql)).map(toRights);
  }

  recordRightsStep(id: string, step: RightsStep): Promise<{ request: RightsRequest; entry: AuditEntry; hold?: Hold }> {
    return this.db.write(async (tx) => {
      const row = await this.rightsRow(tx, id);
      if (!row) throw new UsageError('rights.unknown', `There is no request ${id}; \`toezicht rights list\` shows the requests.`);
      if (step.expectStates && !step.expectStates.includes(row.state as RightsState)) {
        throw new RefusalError('rights.state', `Request ${row.id} is ${row.state}, so this step cannot be taken now; nothing changed.`);
      }
      let hold: Hold | undefined;
      const linked: number[] = [];
      if (step.releaseHold) {
        await this.releaseHoldTx(tx, step.releaseHold.id, step.releaseHold.reason);
        linked.push(await this.headSeq(tx));
      }
      if (step.addHold) {
        hold = await this.addHoldTx(tx, { ...step.addHold, caseRef: row.id });
        linked.push(await this.headSeq(tx));
      }
      const set: RightsChanges = { ...step.set, ...(hold && step.addHold?.kind === 'restriction' ? { restrictionHoldId: hold.id } : {}) };
      const changes = Object.entries(set).filter(([, v]) => v !== undefined) as [keyof RightsChanges, unknown][];
      if (changes.length) {
        const columns = changes.map(([k]) => `${RIGHTS_COLUMNS[k][0]} = ?`).join(', ');
        await tx.run(`UPDATE rights_requests SET ${columns} WHERE id = ?`, [...changes.map(([k, v]) => RIGHTS_COLUMNS[k][1](v)), row.id]);
      }
      const entry = await this.audit(tx, step.action, { requestId: row.id, ...step.details, ...(hold ? { holdId: hold.id } : {}) });
      for (const seq of [...linked, entry.seq]) await this.linkTx(tx, row.id, seq);
      return { request: toRights((await this.rightsRow(tx, row.id))!), entry, ...(hold ? { hold } : {}) };
    });
  }

  async linkRightsEntry(id: string, seq: number): Promise<void> {
    await this.db.write(async (tx) => {
      const row = await this.rightsRow(tx, id);
      if (!row) throw new UsageError('rights.unknown', `There is no request ${id}.`);
      await this.linkTx(tx, row.id, seq);
    });
  }

  async rightsHistory(id: string): Promise<AuditEntry[]> {
    const rows = await this.db.all<AuditRow>(
      'SELECT a.* FROM rights_events e JOIN audit a ON a.seq = e.audit_seq WHERE UPPER(e.request_id) = UPPER(?) ORDER BY a.seq',
      [id],
    );
    return rows.map(toAudit);
  }

  async deletionsInRange(camera: string, from: number, to: number): Promise<RangeDeletion[]> {
    const rows = await this.db.all<{ run_id: number; options: string; storage: string; camera: string; names: string; bytes: number; first_start: number; last_end: number; done_at: string | null }>(
      `SELECT b.run_id, r.options, b.storage, b.camera, b.names, b.bytes, b.first_start, b.last_end, b.done_at
       FROM purge_batches b JOIN purge_runs r ON r.id = b.run_id
       WHERE b.camera = ? AND b.state = 'done' AND b.first_start <= ? AND b.last_end >= ? ORDER BY b.id`,
      [camera, to, from],
    );
    return rows
      .map((r) => ({
        runId: Number(r.run_id),
        runOptions: JSON.parse(r.options) as Record<string, unknown>,
        storage: r.storage,
        camera: r.camera,
        files: (JSON.parse(r.names) as string[]).length,
        bytes: Number(r.bytes),
        firstStart: Number(r.first_start),
        lastEnd: Number(r.last_end),
        deletedAt: r.done_at ?? '',
      }))
      .filter((d) => d.files > 0);
  }

  /** Closes the connection (and with it any lock still held). On SQLite it is closed before this returns. */
  close(): Promise<void> {
    this.purgeLock = undefined;
    return this.db.close();
  }
}
