// A lost register is recovered, never silently replaced: `register recover` makes a new register from the storages'
// hold records and the newest anchor, and `register restore FILE` puts a verified backup in place. Both record what
// they did in the new chain and mark the storages for the register that purges them from now on.
import { renameSync } from 'node:fs';
import type { Config } from '../config/index.js';
import { RefusalError, UsageError } from '../errors.js';
import {
  adoptRegisterId,
  createRegisterAt,
  currentActor,
  isRegisterUrl,
  moveRegisterAside,
  openRegister,
  prepareRestore,
  type ChainHead,
  type RecoveredHold,
  type Register,
} from '../register/index.js';
import { readHoldRecords, readMarker, type ChainAnchor } from '../storage/index.js';
import { anchorChain, releaseTrusted, REGISTER_WAY_OUT, verifier } from './register-guard.js';
import { storageViews } from './rules.js';

export interface RecoverResult {
  register: string;
  registerId: string;
  /** The broken or foreign register file, kept under this name. */
  movedAside?: string;
  previousRegisters: string[];
  /** The newest anchor found: the old chain's head as the storages last saw it. */
  anchor?: ChainAnchor & { storage: string };
  holds: { id: string; cameras: string[]; from: string; to: string; released: boolean; foundIn: string[]; signature: string }[];
  storages: string[];
  head: ChainHead;
  problems: string[];
}

/** Whether the register at `location` is a sound toezicht register, and its id; undefined when it is lost or broken. */
async function soundRegister(location: string): Promise<string | undefined> {
  let register: Register | undefined;
  try {
    register = openRegister(location).register;
    if (await register.integrityCheck()) return undefined;
    return await register.registerId();
  } catch {
    return undefined;
  } finally {
    await register?.close().catch(() => undefined);
  }
}

export async function recoverRegister(config: Config): Promise<RecoverResult> {
  const location = config.register;
  const views = storageViews(config);
  const { verify, hasKey } = await verifier(config);
  const markers = new Map<string, { registerId: string; anchor?: ChainAnchor }>();
  const found = new Map<string, RecoveredHold & { released?: { at: string; reason: string }; allReleased: boolean; signature: string }>();
  for (const view of views) {
    if (!view.store.records) continue;
    const check = await view.store.check();
    // A storage that cannot be read now may hold the only record of a hold: recovering without it could release footage.
    if (!check.ok) throw new RefusalError('recover.storage', `Storage ${view.id} cannot be read (${check.problem}); the register is rebuilt only from every storage's hold records. Nothing changed.`);
    const marker = await readMarker(view.store);
    if (marker) markers.set(view.id, { registerId: marker.registerId, ...(marker.anchor ? { anchor: marker.anchor } : {}) });
    const { records } = await readHoldRecords(view.store, verify);
    for (const r of records) {
      const rec = r.record;
      const id = rec.holdId.toUpperCase();
      const released = rec.released && releaseTrusted(r, hasKey) ? rec.released : undefined;
      const from = Date.parse(rec.from);
      const to = Date.parse(rec.to);
      const have = found.get(id);
      if (!have) {
        found.set(id, {
          id: rec.holdId,
          kind: (['case', 'request', 'restriction'].includes(rec.kind) ? rec.kind : 'case') as RecoveredHold['kind'],
          caseRef: rec.case,
          reason: rec.reason,
          cameras: [...rec.cameras],
          from,
          to,
          createdAt: rec.createdAt,
          foundIn: [view.id],
          allReleased: Boolean(released),
          signature: r.signature,
          ...(released ? { released } : {}),
        });
        continue;
      }
      // The same hold in several storages: the widest of them, released only when every record says so.
      have.cameras = [...new Set([...have.cameras, ...rec.cameras])];
      have.from = Math.min(have.from, from);
      have.to = Math.max(have.to, to);
      have.foundIn.push(view.id);
      have.allReleased &&= Boolean(released);
      if (r.signature !== 'valid') have.signature = r.signature;
    }
  }
  const previousRegisters = [...new Set([...markers.values()].map((m) => m.registerId))];
  let anchor: (ChainAnchor & { storage: string }) | undefined;
  for (const [storage, m] of markers) if (m.anchor && (!anchor || m.anchor.seq > anchor.seq)) anchor = { ...m.anchor, storage };

  const currentId = await soundRegister(location);
  if (currentId && (previousRegisters.length === 0 || previousRegisters.includes(currentId))) {
    throw new UsageError('recover.sound', `The register ${location} is there and sound${previousRegisters.length ? ', and it is the one the storages were marked for' : ''}; recover only replaces a lost, emptied, damaged or foreign register. Nothing changed.`);
  }
  if (isRegisterUrl(location) && currentId) {
    throw new UsageError('recover.postgres', `The database ${location} holds another register (${currentId}); recover into an empty database (set the config's register to it) and run this again. Nothing changed.`);
  }
  const movedAside = moveRegisterAside(location, 'replaced');
  const actor = currentActor();
  await createRegisterAt(location, { school: config.school.name, recovered: true }, actor);
  const { register } = openRegister(location, { actor });
  try {
    const holds = [...found.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    await register.appendAudit('register.recover', {
      previousRegisters,
      ...(anchor ? { anchor } : {}),
      ...(movedAside ? { movedAside } : {}),
      storages: views.map((v) => v.id),
      holds: holds.map((h) => h.id),
    });
    for (const h of holds) {
      const { allReleased, signature: _signature, released, ...rest } = h;
      await register.importHold({ ...rest, ...(allReleased && released ? { released } : {}) });
    }
    const anchored = await anchorChain(register, views, 'register recover', { replace: true });
    return {
      register: register.location,
      registerId: await register.registerId(),
      ...(movedAside ? { movedAside } : {}),
      previousRegisters,
      ...(anchor ? { anchor } : {}),
      holds: holds.map((h) => ({ id: h.id, cameras: h.cameras, from: new Date(h.from).toISOString(), to: new Date(h.to).toISOString(), released: h.allReleased, foundIn: h.foundIn, signature: h.signature })),
      storages: views.map((v) => v.id),
      head: anchored.head,
      problems: anchored.problems,
    };
  } finally {
    await register.close();
  }
}

export interface RestoreResult {
  register: string;
  from: string;
  registerId: string;
  /** The backup's chain head, and the newest anchor the storages held (entries after the backup are lost). */
  backupHead: ChainHead;
  anchor?: ChainAnchor & { storage: string };
  movedAside?: string;
  head: ChainHead;
  problems: string[];
}

/** Puts a verified backup in place of the register (an embedded one); audited; the storages are re-anchored. */
export async function restoreRegister(config: Config, file: string): Promise<RestoreResult> {
  const location = config.register;
  if (isRegisterUrl(location)) throw new UsageError('restore.postgres', 'register restore puts back an embedded register; a PostgreSQL register is restored with `pg_restore --dbname DBNAME FILE` into an empty database.');
  const temp = `${location}.restoring`;
  const actor = currentActor();
  const info = await prepareRestore(file, temp, actor);
  const views = storageViews(config);
  let anchor: (ChainAnchor & { storage: string }) | undefined;
  for (const view of views) {
    if (!view.store.records || !(await view.store.check()).ok) continue;
    const marker = await readMarker(view.store).catch(() => undefined);
    if (marker && marker.registerId !== info.registerId && info.idMadeNow) {
      // A backup from before registers had ids: it takes the id of the register the storages know.
      adoptRegisterId(temp, marker.registerId);
      info.registerId = marker.registerId;
    }
    if (marker && marker.registerId !== info.registerId) {
      moveRegisterAside(temp, 'refused');
      throw new RefusalError('restore.foreign', `${file} is a backup of register ${info.registerId}, but storage ${view.id} is purged by register ${marker.registerId}; nothing changed: restore a backup of that register, or ${REGISTER_WAY_OUT.split(', or ')[1]}.`);
    }
    if (marker?.anchor && (!anchor || marker.anchor.seq > anchor.seq)) anchor = { ...marker.anchor, storage: view.id };
  }
  const movedAside = moveRegisterAside(location, 'replaced');
  renameSync(temp, location);
  const { register } = openRegister(location, { actor });
  try {
    await register.appendAudit('register.restore', {
      from: file,
      backupHead: info.head,
      ...(anchor ? { anchor, lostEntries: Math.max(0, anchor.seq - info.head.seq) } : {}),
      ...(movedAside ? { movedAside } : {}),
    });
    const anchored = await anchorChain(register, views, 'register restore', { replace: true });
    return { register: location, from: file, registerId: info.registerId, backupHead: info.head, ...(anchor ? { anchor } : {}), ...(movedAside ? { movedAside } : {}), head: anchored.head, problems: anchored.problems };
  } finally {
    await register.close();
  }
}
