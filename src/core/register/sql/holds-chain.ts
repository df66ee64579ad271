// The holds as the audit chain says they are: every hold.add entry carries the hold's whole content (cameras and
// range) and every hold.release names the hold it released, so the active holds can be rebuilt from the chain alone
// and compared with the holds table. A table edited behind toezicht's back (a hold released, its range shrunk, its
// cameras removed, the row deleted) no longer agrees with the chain, whose entries cannot be changed unseen.
import type { HoldTampering } from '../types.js';
import type { SqlExecutor } from './types.js';

interface ChainHold {
  cameras: string[];
  from: number;
  to: number;
  seq: number;
  released?: number;
}

/** Rebuilds the holds from their audit entries (in chain order). */
async function holdsFromChain(db: SqlExecutor): Promise<Map<string, ChainHold>> {
  const rows = await db.all<{ seq: number; action: string; details: string }>("SELECT seq, action, details FROM audit WHERE action IN ('hold.add', 'hold.release') ORDER BY seq");
  const holds = new Map<string, ChainHold>();
  for (const r of rows) {
    let d: { holdId?: string; cameras?: string[]; from?: string; to?: string };
    try {
      d = JSON.parse(r.details) as typeof d;
    } catch {
      continue; // an unparseable entry fails the hash check of `audit verify`
    }
    if (!d.holdId) continue;
    const id = d.holdId.toUpperCase();
    if (r.action === 'hold.add') {
      holds.set(id, { cameras: [...new Set(d.cameras ?? [])].sort(), from: Date.parse(d.from ?? ''), to: Date.parse(d.to ?? ''), seq: Number(r.seq) });
    } else {
      const h = holds.get(id);
      if (h) h.released = Number(r.seq);
    }
  }
  return holds;
}

/** Every way the holds table disagrees with the chain; empty when they agree. */
export async function compareHoldsWithChain(db: SqlExecutor): Promise<HoldTampering[]> {
  const chain = await holdsFromChain(db);
  const rows = await db.all<{ id: string; range_from: number; range_to: number; released_at: string | null }>('SELECT id, range_from, range_to, released_at FROM holds ORDER BY id');
  const cameraRows = await db.all<{ hold_id: string; camera: string }>('SELECT hold_id, camera FROM hold_cameras');
  const cameras = new Map<string, Set<string>>();
  for (const c of cameraRows) {
    const id = c.hold_id.toUpperCase();
    if (!cameras.has(id)) cameras.set(id, new Set());
    cameras.get(id)!.add(c.camera);
  }
  const out: HoldTampering[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const id = row.id.toUpperCase();
    seen.add(id);
    const c = chain.get(id);
    if (!c) {
      out.push({ holdId: row.id, problem: `hold ${row.id} is in the holds table, but no audit entry added it` });
      continue;
    }
    const active = c.released === undefined;
    if (active && row.released_at) {
      out.push({ holdId: row.id, seq: c.seq, problem: `hold ${row.id} is marked released in the holds table, but no audit entry released it` });
    } else if (!active && !row.released_at) {
      out.push({ holdId: row.id, seq: c.released, problem: `hold ${row.id} was released (audit entry ${c.released}), but the holds table shows it active` });
    }
    if (Number(row.range_from) !== c.from || Number(row.range_to) !== c.to) {
      out.push({ holdId: row.id, seq: c.seq, problem: `the range of hold ${row.id} in the holds table is not the range its audit entry ${c.seq} recorded (${new Date(c.from).toISOString()} – ${new Date(c.to).toISOString()})` });
    }
    const tableCameras = [...(cameras.get(id) ?? [])].sort();
    if (tableCameras.join('\u0000') !== c.cameras.join('\u0000')) {
      const missing = c.cameras.filter((x) => !tableCameras.includes(x));
      out.push({
        holdId: row.id,
        seq: c.seq,
        problem: `the cameras of hold ${row.id} in the holds table (${tableCameras.join(', ') || 'none'}) are not those its audit entry ${c.seq} recorded (${c.cameras.join(', ')})${missing.length ? `: ${missing.join(', ')} removed` : ''}`,
      });
    }
  }
  for (const [id, c] of chain) {
    if (!seen.has(id) && c.released === undefined) out.push({ holdId: id, seq: c.seq, problem: `hold ${id} (audit entry ${c.seq}) is active in the audit chain, but missing from the holds table` });
  }
  return out;
}
