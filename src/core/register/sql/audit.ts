// The audit chain over the SQL layer: appending inside the caller's write transaction, reading, verifying.
import { RefusalError } from '../../errors.js';
import { batchesDigest, canonicalJson, ChainVerifier, entryHash, GENESIS_HASH, type StoredEntry } from '../chain.js';
import type { Actor, AuditEntry, AuditVerification } from '../types.js';
import { toAudit, type AuditRow } from './rows.js';
import { pages, type SqlExecutor } from './types.js';

/** Appends an entry; `tx` must be a write transaction (writers are serialised, so the head read here stays the head). */
export async function appendAuditTx(tx: SqlExecutor, location: string, actor: Actor, action: string, details: Record<string, unknown>): Promise<AuditEntry> {
  const head = await tx.get<{ value: string }>("SELECT value FROM meta WHERE key = 'audit_head_seq'");
  const last = await tx.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
  if ((last?.seq ?? 0) !== Number(head?.value ?? 0)) {
    throw new RefusalError(
      'register.chain-broken',
      `The audit chain in ${location} does not end where the register recorded (entry ${head?.value ?? 0}); run \`toezicht audit verify\` and restore the register from a backup.`,
    );
  }
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date().toISOString();
  // Round-trip through canonical JSON so what is hashed is exactly what is stored.
  const cleanDetails = JSON.parse(canonicalJson(details)) as Record<string, unknown>;
  const entry = { seq, at, actor, action, details: cleanDetails };
  const hash = entryHash(entry, prevHash);
  await tx.run('INSERT INTO audit (seq, at, actor, action, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    seq,
    at,
    canonicalJson(actor),
    action,
    canonicalJson(cleanDetails),
    prevHash,
    hash,
  ]);
  await tx.run("UPDATE meta SET value = ? WHERE key = 'audit_head_seq'", [String(seq)]);
  await tx.run("UPDATE meta SET value = ? WHERE key = 'audit_head_hash'", [hash]);
  return { ...entry, prevHash, hash };
}

export async function auditEntries(db: SqlExecutor, options: { sinceMs?: number; action?: string; limit?: number }): Promise<AuditEntry[]> {
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
  const filter = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const sql = options.limit
    ? `SELECT * FROM (SELECT * FROM audit${filter} ORDER BY seq DESC LIMIT ${Math.floor(options.limit)}) AS recent ORDER BY seq`
    : `SELECT * FROM audit${filter} ORDER BY seq`;
  return (await db.all<AuditRow>(sql, params)).map(toAudit);
}

function stored(row: AuditRow): StoredEntry {
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
  return { seq: row.seq, at: row.at, actor, action: row.action, details, prevHash: row.prev_hash, hash: row.hash };
}

/** Digest of a purge run's finished deletion records (see batchesDigest), read page by page. */
export async function runDigest(db: SqlExecutor, runId: number): Promise<string> {
  const rows: { storage: string; dir: string; camera: string; names: string[]; bytes: number }[] = [];
  for await (const r of pages<{ id: number; storage: string; dir: string; camera: string; names: string; bytes: number }>(
    db,
    (after) => `SELECT id, storage, dir, camera, names, bytes FROM purge_batches WHERE run_id = ? AND state = 'done' AND id > ${after} ORDER BY id`,
    'id',
    [runId],
  )) {
    rows.push({ storage: r.storage, dir: r.dir, camera: r.camera, names: JSON.parse(r.names) as string[], bytes: r.bytes });
  }
  return batchesDigest(rows);
}

/** Verifies the chain in one snapshot: every hash and link, the recorded head, and every purge run's digest. */
export async function verifyAudit(tx: SqlExecutor): Promise<Omit<AuditVerification, 'tamperedHolds'>> {
  const verifier = new ChainVerifier();
  for await (const row of pages<AuditRow & Record<string, unknown>>(tx, (after) => `SELECT * FROM audit WHERE seq > ${after} ORDER BY seq`, 'seq')) {
    if (!verifier.push(stored(row))) break;
  }
  const meta = await tx.all<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key LIKE 'audit_head_%'");
  const head = {
    seq: Number(meta.find((m) => m.key === 'audit_head_seq')?.value ?? 0),
    hash: meta.find((m) => m.key === 'audit_head_hash')?.value ?? '',
  };
  const result = verifier.finish(head);
  // Deletion records of finished runs must still match the digest their audit entry recorded.
  const tamperedRuns: { runId: number; seq: number }[] = [];
  const runEntries = await tx.all<{ seq: number; details: string }>("SELECT seq, details FROM audit WHERE action IN ('purge.run', 'purge.interrupted') ORDER BY seq");
  for (const e of runEntries) {
    let d: { runId?: number; digest?: string };
    try {
      d = JSON.parse(e.details) as typeof d;
    } catch {
      continue;
    }
    if (d.runId === undefined || d.digest === undefined) continue;
    if ((await runDigest(tx, d.runId)) !== d.digest) tamperedRuns.push({ runId: d.runId, seq: e.seq });
  }
  return { ok: !result.broken && tamperedRuns.length === 0, entries: result.entries, ...(result.broken ? { broken: result.broken } : {}), tamperedRuns };
}
