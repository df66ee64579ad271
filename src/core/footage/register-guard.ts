// The register proves itself before a purge deletes: its file passes its own integrity check, its holds table agrees
// with the holds its audit chain recorded, it is the register each storage was marked for, and its chain has not
// lost or changed what an anchor outside it recorded. And the storages keep their own signed hold records, so a hold
// the register lost is still honoured. See docs/purge.md ("What the register must prove").
import type { Config } from '../config/index.js';
import { RefusalError } from '../errors.js';
import { loadPublicKeys, loadSigningKey, signBytes, verifyBytes } from '../keys/index.js';
import type { AuditVerification, ChainHead, Hold, Register } from '../register/index.js';
import { readHoldRecords, readMarker, writeHoldRecord, writeMarker, type ChainAnchor, type HoldRecord, type ReadHoldRecord, type RegisterMarker } from '../storage/index.js';
import { storageViews, type HeldRange, type StorageView } from './rules.js';

/** The way out named by every refusal about the register itself. */
export const REGISTER_WAY_OUT = 'restore its newest backup with `toezicht register restore FILE`, or rebuild it from the storages with `toezicht register recover`';

/** A hold a storage keeps that the register does not (lost, rolled back, or released without the storage's word). */
export interface StorageHold {
  storage: string;
  holdId: string;
  cameras: string[];
  from: string;
  to: string;
  /** Why the register's word is not enough. */
  problem: string;
}

export interface RegisterGuard {
  registerId: string;
  head: ChainHead;
  /** Held ranges from the storages' hold records the register lacks, by camera (honoured like the register's). */
  extraHolds: Map<string, HeldRange[]>;
  storageHolds: StorageHold[];
  warnings: string[];
}

interface StorageMarks {
  view: StorageView;
  marker?: RegisterMarker;
  holds: ReadHoldRecord[];
  unreadable: string[];
}

/** Signs hold records with the school's key when this user can read it; undefined otherwise. */
export async function signer(config: Config): Promise<((payload: Buffer) => { signature: string; fingerprint: string }) | undefined> {
  try {
    const key = await loadSigningKey(config.keys.dir);
    return (payload) => ({ signature: signBytes(payload, key).toString('base64'), fingerprint: key.fingerprint });
  } catch {
    return undefined;
  }
}

/** Checks signatures against the school's public keys (current and retired); `hasKey` whether the school has one. */
export async function verifier(config: Config): Promise<{ verify: (payload: Buffer, signature: Buffer) => boolean; hasKey: boolean }> {
  const keys = await loadPublicKeys(config.keys.dir);
  return { verify: (payload, signature) => keys.some((k) => verifyBytes(payload, signature, k)), hasKey: keys.length > 0 };
}

async function readMarks(views: StorageView[], verify: (payload: Buffer, signature: Buffer) => boolean, problems: string[]): Promise<StorageMarks[]> {
  const out: StorageMarks[] = [];
  for (const view of views) {
    if (!view.store.records) continue;
    const check = await view.store.check();
    if (!check.ok) continue; // preflight names a storage that is not there
    try {
      const marker = await readMarker(view.store);
      const { records, unreadable } = await readHoldRecords(view.store, verify);
      out.push({ view, ...(marker ? { marker } : {}), holds: records, unreadable });
    } catch (error) {
      problems.push(`storage ${view.id}: ${(error as Error).message}`);
    }
  }
  return out;
}

/** The newest anchor of this register among the markers, and where it was found. */
function newestAnchor(marks: StorageMarks[], registerId: string): (ChainAnchor & { storage: string }) | undefined {
  let best: (ChainAnchor & { storage: string }) | undefined;
  for (const m of marks) {
    const a = m.marker?.registerId === registerId ? m.marker.anchor : undefined;
    if (a && (!best || a.seq > best.seq)) best = { ...a, storage: m.view.id };
  }
  return best;
}

/** What the chain says against an anchor: undefined when the chain still holds the anchored entry unchanged. */
async function compareWithAnchor(register: Register, head: ChainHead, anchor: ChainAnchor & { storage: string }): Promise<string | undefined> {
  const where = `storage ${anchor.storage} recorded entry ${anchor.seq} as the chain's head on ${anchor.at} (${anchor.by})`;
  if (head.seq === 0 && anchor.seq > 0) return `the audit chain is empty, but ${where}: the chain was emptied`;
  if (head.seq < anchor.seq) return `the audit chain ends at entry ${head.seq}, but ${where}: the chain was truncated or the register rolled back`;
  const entry = await register.auditEntry(anchor.seq);
  if (!entry) return `entry ${anchor.seq} is missing from the audit chain, but ${where}: the chain was truncated`;
  if (entry.hash !== anchor.hash) return `entry ${anchor.seq} of the audit chain is not the entry ${where}: the chain was rewritten after it`;
  return undefined;
}

/** Whether a record's release may be believed: signed by the school's key (or the school has no key at all). */
export function releaseTrusted(r: ReadHoldRecord, hasKey: boolean): boolean {
  return r.signature === 'valid' || (r.signature === 'unsigned' && !hasKey);
}

/**
 * Before a purge deletes anything: refuses (exit 2) unless the register proves itself against its own file, its
 * chain and the storages; returns the storages' holds the register lacks, to be honoured too.
 */
export async function guardRegister(config: Config, views: StorageView[], register: Register, options: { sync?: boolean; what?: string } = {}): Promise<RegisterGuard> {
  const what = options.what ?? 'The purge';
  const integrity = await register.integrityCheck();
  if (integrity) throw new RefusalError('register.damaged', `${what} refused to run and deleted nothing: the register ${register.location} fails its integrity check (${integrity}); ${REGISTER_WAY_OUT}.`);
  const registerId = await register.registerId();
  const tampered = await register.checkHoldsAgainstChain();
  if (tampered.length) {
    throw new RefusalError(
      'register.holds-tampered',
      `${what} refused to run and deleted nothing: the register's holds table disagrees with its audit chain (${tampered[0]!.problem}); ${REGISTER_WAY_OUT}.`,
      { details: tampered.map((t) => t.problem) },
    );
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  const { verify, hasKey } = await verifier(config);
  let marks = await readMarks(views, verify, problems);
  for (const m of marks) {
    if (m.marker && m.marker.registerId !== registerId) {
      problems.push(
        `storage ${m.view.id} is purged by register ${m.marker.registerId} (marked ${m.marker.markedAt}), not by this register ${registerId}, which does not know that register's holds`,
      );
    }
    for (const u of m.unreadable) warnings.push(`storage ${m.view.id}: ${u} is not a hold record toezicht can read; it was left alone`);
  }
  const head = await register.auditHead();
  const anchor = newestAnchor(marks, registerId);
  if (anchor) {
    const problem = await compareWithAnchor(register, head, anchor);
    if (problem) problems.push(problem);
  }
  if (problems.length) {
    throw new RefusalError(
      'register.not-proven',
      `${what} refused to run and deleted nothing: ${problems.length === 1 ? problems[0] : `${problems.length} problems with the register`}; ${REGISTER_WAY_OUT}.`,
      { details: problems },
    );
  }

  if (options.sync) {
    // The register has proven itself: bring the storages' hold records up to it (a release written only where it
    // can be believed), then read them again.
    warnings.push(...(await syncHoldRecords(config, register, views)));
    marks = await readMarks(views, verify, []);
  }
  const active = new Map((await register.listHolds()).map((h) => [h.id.toUpperCase(), h]));
  const extraHolds = new Map<string, HeldRange[]>();
  const storageHolds: StorageHold[] = [];
  for (const m of marks) {
    for (const r of m.holds) {
      const rec = r.record;
      if (rec.released && releaseTrusted(r, hasKey)) continue;
      if (rec.released) warnings.push(`storage ${m.view.id}: the release of hold ${rec.holdId} in its hold record is ${r.signature === 'invalid' ? 'not signed by the school key' : 'unsigned'}; the hold is kept`);
      const from = Date.parse(rec.from);
      const to = Date.parse(rec.to);
      const mine = active.get(rec.holdId.toUpperCase());
      if (mine && mine.from <= from && mine.to >= to && rec.cameras.every((c) => mine.cameras.includes(c))) continue;
      const problem = mine ? 'the register holds less of it than the storage' : 'the register has no such active hold';
      storageHolds.push({ storage: m.view.id, holdId: rec.holdId, cameras: rec.cameras, from: rec.from, to: rec.to, problem });
      for (const camera of rec.cameras) {
        let list = extraHolds.get(camera);
        if (!list) extraHolds.set(camera, (list = []));
        list.push({ id: rec.holdId, from, to });
      }
    }
  }
  return { registerId, head, extraHolds, storageHolds, warnings };
}

/** A hold as recorded beside the footage. */
export function holdRecord(hold: Hold, registerId: string): HoldRecord {
  return {
    holdId: hold.id,
    kind: hold.kind,
    case: hold.caseRef,
    reason: hold.reason,
    cameras: [...hold.cameras].sort(),
    from: new Date(hold.from).toISOString(),
    to: new Date(hold.to).toISOString(),
    createdAt: hold.createdAt,
    registerId,
    ...(hold.releasedAt ? { released: { at: hold.releasedAt, reason: hold.releaseReason ?? '' } } : {}),
  };
}

/** Writes the chain's head into a storage's marker (marking it for this register when it has no marker yet). */
async function anchorView(view: StorageView, registerId: string, head: ChainHead, by: string, replace = false): Promise<string | undefined> {
  const marker = await readMarker(view.store);
  if (replace) {
    // A recovered or restored register takes the storage over: its head is the anchor from now on.
    const at = new Date().toISOString();
    await writeMarker(view.store, { format: 1, registerId, markedAt: marker?.registerId === registerId ? marker.markedAt : at, anchor: { seq: head.seq, hash: head.hash, at, by } });
    return undefined;
  }
  if (marker && marker.registerId !== registerId) return `storage ${view.id} is marked for register ${marker.registerId}, not this one; its marker was left as it is`;
  // A newer anchor written meanwhile (another host) stays.
  if (marker?.anchor && marker.anchor.seq > head.seq) return undefined;
  const at = new Date().toISOString();
  await writeMarker(view.store, { format: 1, registerId, markedAt: marker?.markedAt ?? at, anchor: { seq: head.seq, hash: head.hash, at, by } });
  return undefined;
}

/** Anchors the chain's head in these storages' markers; returns the problems (never throws: the work is done). */
export async function anchorChain(register: Register, views: StorageView[], by: string, options: { replace?: boolean } = {}): Promise<{ head: ChainHead; problems: string[] }> {
  const head = await register.auditHead();
  const problems: string[] = [];
  const registerId = await register.registerId();
  for (const view of views) {
    if (!view.store.records) continue;
    try {
      const check = await view.store.check();
      if (!check.ok) {
        problems.push(`storage ${view.id}: ${check.problem}; the chain's head was not anchored there`);
        continue;
      }
      const p = await anchorView(view, registerId, head, by, options.replace);
      if (p) problems.push(p);
    } catch (error) {
      problems.push(`storage ${view.id}: the chain's head could not be anchored (${(error as Error).message})`);
    }
  }
  return { head, problems };
}

/** Anchors the chain's head in every storage of the config (after an export). */
export async function anchorAllStorages(config: Config, register: Register, by: string): Promise<{ head: ChainHead; problems: string[] }> {
  return anchorChain(register, storageViews(config), by);
}

/**
 * Writes a hold (added or released) beside the footage of its cameras, signed with the school's key where this user
 * can read it, and anchors the chain there. Returns what could not be written (the register's hold stands).
 */
export async function recordHoldAtStorages(config: Config, register: Register, hold: Hold): Promise<string[]> {
  const wanted = new Set(hold.cameras);
  const views = storageViews(config).filter((v) => v.store.records && [...v.cameras.values()].some((c) => wanted.has(c.id)));
  if (!views.length) return [];
  const sign = await signer(config);
  const registerId = await register.registerId();
  const problems: string[] = [];
  // A school without any key has unsigned records by design (its releases are believed as they are): only a key this
  // user cannot read is worth a word.
  if (!sign && (await verifier(config)).hasKey) problems.push(`the school's signing key in ${config.keys.dir} cannot be read, so the hold record of ${hold.id} is unsigned${hold.releasedAt ? ' and its release is not believed by the storage until it is written signed (run the release again as the key\'s owner)' : ''}`);
  const head = await register.auditHead();
  for (const view of views) {
    try {
      const check = await view.store.check();
      if (!check.ok) {
        problems.push(`storage ${view.id}: ${check.problem}; its hold record of ${hold.id} was not written`);
        continue;
      }
      const marker = await readMarker(view.store);
      if (marker && marker.registerId !== registerId) {
        problems.push(`storage ${view.id} is marked for register ${marker.registerId}, not this one; its hold record of ${hold.id} was not written`);
        continue;
      }
      await writeHoldRecord(view.store, holdRecord(hold, registerId), sign);
      const p = await anchorView(view, registerId, head, `hold ${hold.id}`);
      if (p) problems.push(p);
    } catch (error) {
      problems.push(`storage ${view.id}: the hold record of ${hold.id} could not be written (${(error as Error).message})`);
    }
  }
  return problems;
}

/**
 * The purge brings the storages' hold records up to the register (holds placed by a data-subject request, or whose
 * storage was away when they changed). A release is only written where it can be signed (or the school has no key).
 */
export async function syncHoldRecords(config: Config, register: Register, views: StorageView[]): Promise<string[]> {
  const problems: string[] = [];
  const withRecords = views.filter((v) => v.store.records);
  if (!withRecords.length) return problems;
  const sign = await signer(config);
  const { verify, hasKey } = await verifier(config);
  const registerId = await register.registerId();
  const holds = await register.listHolds({ includeReleased: true });
  for (const view of withRecords) {
    try {
      const check = await view.store.check();
      if (!check.ok) continue;
      const marker = await readMarker(view.store);
      if (marker && marker.registerId !== registerId) continue;
      const { records } = await readHoldRecords(view.store, verify);
      const byId = new Map(records.map((r) => [r.record.holdId.toUpperCase(), r]));
      const cameras = new Set([...view.cameras.values()].map((c) => c.id));
      for (const hold of holds) {
        if (!hold.cameras.some((c) => cameras.has(c))) continue;
        const have = byId.get(hold.id.toUpperCase());
        if (!hold.releasedAt) {
          if (!have || have.record.released) {
            if (have?.record.released) continue; // the storage says released, the register active: keep; reported elsewhere
            await writeHoldRecord(view.store, holdRecord(hold, registerId), sign);
          }
          continue;
        }
        if (!have || (have.record.released && releaseTrusted(have, hasKey))) continue;
        // The purge never signs a release itself: a release appended to the register after its newest anchor cannot
        // be told from a forged one, so only the person releasing (with the key) writes it. Without a school key
        // nothing is signed and the register's release is written as it is.
        if (!hasKey) await writeHoldRecord(view.store, holdRecord(hold, registerId));
        else problems.push(`storage ${view.id} still keeps hold ${hold.id}, released in the register on ${hold.releasedAt}; a release is believed there only when signed with the school's key: run \`toezicht footage hold release ${hold.id} --reason …\` again as the key's owner`);
      }
    } catch (error) {
      problems.push(`storage ${view.id}: its hold records could not be brought up to date (${(error as Error).message})`);
    }
  }
  return problems;
}

export interface RegisterVerification extends AuditVerification {
  /** The newest anchor found in the storages' markers, and what the chain says against it. */
  anchor?: ChainAnchor & { storage: string };
  anchorProblem?: string;
  /** Storages marked for another register. */
  foreignStorages: { storage: string; registerId: string }[];
}

/** `audit verify`: the chain on its own, the holds table against the chain, and the chain against the newest anchor. */
export async function verifyRegister(config: Config, register: Register): Promise<RegisterVerification> {
  const result = await register.verifyAudit();
  const registerId = await register.registerId();
  const problems: string[] = [];
  const { verify } = await verifier(config);
  const marks = await readMarks(storageViews(config), verify, problems);
  const foreignStorages = marks.filter((m) => m.marker && m.marker.registerId !== registerId).map((m) => ({ storage: m.view.id, registerId: m.marker!.registerId }));
  const anchor = newestAnchor(marks, registerId);
  const anchorProblem = anchor ? await compareWithAnchor(register, await register.auditHead(), anchor) : undefined;
  return {
    ...result,
    ok: result.ok && !anchorProblem,
    ...(anchor ? { anchor } : {}),
    ...(anchorProblem ? { anchorProblem } : {}),
    foreignStorages,
  };
}
