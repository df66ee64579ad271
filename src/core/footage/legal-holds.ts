// Holds as S3 Object Lock legal holds. Where a bucket has Object Lock, `hold add` puts a legal hold on every version of
// every object in the hold's range, so that no tool — not even one with the bucket's keys — can delete that footage;
// `hold release` lifts exactly the legal holds this hold placed. A legal hold that was on already (placed by another
// tool or person) is recorded as found, reported, and never lifted by toezicht. Without Object Lock the register's
// hold alone keeps the footage from the purge.
import type { Config } from '../config/index.js';
import type { Hold, Register } from '../register/index.js';
import { findSegments, type ObjectVersionRef } from '../storage/index.js';
import { storageViews, type StorageView } from './rules.js';

export interface LegalHoldReport {
  storage: string;
  /** Whether the bucket has Object Lock (legal holds are possible). */
  objectLock: boolean;
  /** Object versions this hold put a legal hold on. */
  placed: number;
  /** Versions already under a legal hold (another toezicht hold's, or one toezicht did not place). */
  alreadyOn: number;
  /** Of those, the ones no toezicht hold placed: someone else's, respected and never lifted by toezicht. */
  foreign: number;
  /** On release: legal holds lifted, and those left on because another active hold covers the same version. */
  lifted?: number;
  keptForOtherHolds?: number;
  errors: string[];
}

const PARALLEL = 8;

async function eachLimited<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** The object stores with legal holds that footage of these cameras lives on. */
function lockableViews(config: Config, cameras: readonly string[]): { view: StorageView; cameraPaths: string[] }[] {
  const wanted = new Set(cameras);
  const out: { view: StorageView; cameraPaths: string[] }[] = [];
  for (const view of storageViews(config)) {
    if (!view.store.legalHolds) continue;
    const cameraPaths = [...view.cameras.values()].filter((c) => wanted.has(c.id)).map((c) => c.path);
    if (cameraPaths.length) out.push({ view, cameraPaths });
  }
  return out;
}

/** Puts S3 legal holds on the footage of a new hold; records per version whether it placed it or found it on. */
export async function placeLegalHolds(config: Config, register: Register, hold: Hold): Promise<LegalHoldReport[]> {
  const reports: LegalHoldReport[] = [];
  for (const { view, cameraPaths } of lockableViews(config, hold.cameras)) {
    const report: LegalHoldReport = { storage: view.id, objectLock: false, placed: 0, alreadyOn: 0, foreign: 0, errors: [] };
    reports.push(report);
    const check = await view.store.check();
    if (!check.ok) {
      report.errors.push(`storage ${view.id}: ${check.problem ?? 'cannot be read'}; the register's hold still keeps its footage from the purge`);
      continue;
    }
    const ops = view.store.legalHolds!;
    report.objectLock = await ops.enabled();
    if (!report.objectLock) continue;
    const relPaths: string[] = [];
    for (const cameraPath of cameraPaths) {
      for (const s of (await findSegments(view, cameraPath, hold.from, hold.to)).segments) relPaths.push(s.relPath);
    }
    const versions = await ops.versions(relPaths);
    const recorded: { relPath: string; versionId: string; placed: boolean }[] = [];
    await eachLimited(versions, async (ref) => {
      try {
        if (await ops.get(ref)) {
          recorded.push({ ...ref, placed: false });
          report.alreadyOn++;
          const others = await register.legalHolds({ storage: view.id, ...ref });
          if (!others.some((o) => o.placed && !o.liftedAt)) report.foreign++;
        } else {
          await ops.set(ref, true);
          recorded.push({ ...ref, placed: true });
          report.placed++;
        }
      } catch (error) {
        report.errors.push(`${ref.relPath} (version ${ref.versionId}): ${(error as Error).message}`);
      }
    });
    await register.recordLegalHolds(hold.id, view.id, recorded);
  }
  return reports;
}

/**
 * Lifts the legal holds a hold placed, before the hold itself is released (a failure here leaves the hold active and
 * the footage safe). A version another active hold also recorded keeps its legal hold: that hold owns it from now.
 */
export async function liftLegalHolds(config: Config, register: Register, hold: Hold): Promise<LegalHoldReport[]> {
  const records = (await register.legalHolds({ holdId: hold.id })).filter((r) => r.placed && !r.liftedAt);
  const byStorage = new Map<string, typeof records>();
  for (const r of records) {
    let list = byStorage.get(r.storage);
    if (!list) byStorage.set(r.storage, (list = []));
    list.push(r);
  }
  const active = new Set((await register.listHolds()).filter((h) => h.id !== hold.id).map((h) => h.id));
  const views = new Map(storageViews(config).map((v) => [v.id, v]));
  const reports: LegalHoldReport[] = [];
  for (const [storage, list] of byStorage) {
    const report: LegalHoldReport = { storage, objectLock: true, placed: 0, alreadyOn: 0, foreign: 0, lifted: 0, keptForOtherHolds: 0, errors: [] };
    reports.push(report);
    const view = views.get(storage);
    if (!view?.store.legalHolds) {
      report.errors.push(`storage ${storage} is no longer in the config: its ${list.length} legal holds stay on; lift them with the bucket's own tools`);
      continue;
    }
    const check = await view.store.check();
    if (!check.ok) throw new Error(`storage ${storage}: ${check.problem ?? 'cannot be read'}; the hold stays active until its legal holds can be lifted`);
    const lifted: ObjectVersionRef[] = [];
    const handedOver: (ObjectVersionRef & { toHold: string })[] = [];
    await eachLimited(list, async (r) => {
      const ref = { relPath: r.relPath, versionId: r.versionId };
      const other = (await register.legalHolds({ storage, ...ref })).find((o) => o.holdId !== hold.id && active.has(o.holdId) && !o.liftedAt);
      if (other) {
        handedOver.push({ ...ref, toHold: other.holdId });
        return;
      }
      try {
        await view.store.legalHolds!.set(ref, false);
        lifted.push(ref);
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        // Gone (purged by hand, or never to be found again): nothing is left to lift.
        if (status === 404) lifted.push(ref);
        else report.errors.push(`${r.relPath} (version ${r.versionId}): ${(error as Error).message}`);
      }
    });
    report.lifted = lifted.length;
    report.keptForOtherHolds = handedOver.length;
    await register.recordLegalHoldsLifted(hold.id, storage, lifted, handedOver);
    if (report.errors.length) throw new Error(`${report.errors.length} legal holds of hold ${hold.id} in storage ${storage} could not be lifted (${report.errors[0]}); the hold stays active, run the release again`);
  }
  return reports;
}
