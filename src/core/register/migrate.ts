// `register migrate --to URL`: copies an embedded register into an empty PostgreSQL database, every table row for
// row (ids, audit entries and their hashes unchanged), in one transaction, then proves the copy: the chain must
// verify there with every entry. Both registers record the move in their own chain.
import { RefusalError, UsageError } from '../errors.js';
import { isRegisterUrl, PostgresRegister } from './postgres/register.js';
import { SqlRegister } from './sql/register.js';
import type { SqlExecutor } from './sql/types.js';
import type { Actor, Register } from './types.js';

export interface MigrateResult {
  from: string;
  to: string;
  tables: { table: string; rows: number }[];
  /** The source chain's head that was copied. */
  copiedThrough: { seq: number; hash: string };
  /** The target's chain after the copy and its own entry, verified. */
  verified: { ok: boolean; entries: number };
  sourceEntry: number;
  targetEntry: number;
}

const BATCH = 500;

async function sqliteTables(db: SqlExecutor): Promise<string[]> {
  // Creation order, so a table comes after the tables it refers to.
  const rows = await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid");
  return rows.map((r) => r.name);
}

async function pgTables(db: SqlExecutor): Promise<Map<string, string[]>> {
  const rows = await db.all<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> 'toezicht_schema' ORDER BY table_name, ordinal_position",
  );
  const tables = new Map<string, string[]>();
  for (const r of rows) {
    let list = tables.get(r.table_name);
    if (!list) tables.set(r.table_name, (list = []));
    list.push(r.column_name);
  }
  return tables;
}

export async function migrateRegister(source: Register, targetUrl: string, actor: Actor): Promise<MigrateResult> {
  if (!(source instanceof SqlRegister) || isRegisterUrl(source.location)) {
    throw new UsageError('migrate.source', 'register migrate copies an embedded (SQLite) register; the config already points at a server.');
  }
  if (!isRegisterUrl(targetUrl)) throw new UsageError('migrate.target', `--to must be a postgres:// URL (got ${targetUrl}).`);
  const before = await source.verifyAudit();
  if (!before.ok) {
    throw new RefusalError('migrate.broken', `The audit chain of ${source.location} does not verify (${before.broken?.problem ?? 'deletion records were changed'}); it is not copied. Run \`toezicht audit verify\` and restore it from a backup first.`);
  }
  const target = PostgresRegister.open(targetUrl, { create: true, actor });
  try {
    await target.prepare();
    const targetDb = target.database;
    const existing = await targetDb.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit');
    if (Number(existing?.n ?? 0) > 0) {
      throw new RefusalError('migrate.not-empty', `${target.location} already holds a register (${existing!.n} audit entries); nothing was copied. Migrate into an empty database.`);
    }
    const columns = await pgTables(targetDb);
    const copied: { table: string; rows: number }[] = [];
    let head = { seq: 0, hash: '' };
    const targetEntry = await source.database.read(async (src) => {
      const tables = await sqliteTables(src);
      const missing = tables.filter((t) => !columns.has(t));
      if (missing.length) {
        throw new RefusalError('migrate.schema', `${target.location} has no table ${missing.join(', ')}; the two registers are of different toezicht versions. Upgrade toezicht on every host first.`);
      }
      const meta = await src.all<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key LIKE 'audit_head_%'");
      head = { seq: Number(meta.find((m) => m.key === 'audit_head_seq')?.value ?? 0), hash: meta.find((m) => m.key === 'audit_head_hash')?.value ?? '' };
      return targetDb.write(async (tx) => {
        await tx.run('DELETE FROM meta');
        for (const table of tables) {
          const cols = columns.get(table)!;
          let rows = 0;
          // rowid order: the order the source wrote them (every table here has one).
          for (let offset = 0; ; offset += BATCH) {
            const batch = await src.all<Record<string, unknown>>(`SELECT ${cols.join(', ')} FROM ${table} ORDER BY rowid LIMIT ${BATCH} OFFSET ${offset}`);
            if (!batch.length) break;
            const values = batch.map(() => `(${cols.map(() => '?').join(', ')})`).join(', ');
            await tx.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${values}`, batch.flatMap((r) => cols.map((c) => r[c] ?? null)));
            rows += batch.length;
            if (batch.length < BATCH) break;
          }
          copied.push({ table, rows });
        }
        // Ids the register assigns continue after the copied ones.
        const identities = await tx.all<{ table_name: string; column_name: string }>(
          "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
        );
        for (const i of identities) {
          await tx.get(`SELECT setval(pg_get_serial_sequence('${i.table_name}', '${i.column_name}'), COALESCE(MAX(${i.column_name}), 0) + 1, false) FROM ${i.table_name}`);
        }
        const entry = await target.appendInTransaction(tx, 'register.import', { from: source.location, copiedThrough: head, tables: copied });
        return entry.seq;
      });
    });
    const verified = await target.verifyAudit();
    if (!verified.ok || verified.entries !== head.seq + 1) {
      throw new RefusalError('migrate.verify', `The copy in ${target.location} does not verify (${verified.broken?.problem ?? `${verified.entries} entries where ${head.seq + 1} were expected`}); keep using ${source.location} and report this.`);
    }
    const sourceEntry = await source.appendAudit('register.migrate', { to: target.location, copiedThrough: head, targetEntry });
    return { from: source.location, to: target.location, tables: copied, copiedThrough: head, verified: { ok: verified.ok, entries: verified.entries }, sourceEntry: sourceEntry.seq, targetEntry };
  } finally {
    await target.close();
  }
}
