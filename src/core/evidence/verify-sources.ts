// `footage verify --sources`: besides the package itself, reads every source segment the manifest names again from
// the storage the config names (a file, or the object version in its bucket), hashes it as it streams (flat memory,
// no copy on local disk) and says per source whether it is unchanged, changed, gone or could not be read.
//
// A source that is gone after its retention ran out is a normal finding (the purge did its work) and is worded so; a
// source gone before then was deleted by someone else. A storage that cannot be reached makes its sources
// "unreadable", never "missing": an unmounted share is no evidence that footage was deleted.
import type { Config, ResolvedStorage } from '../config/index.js';
import { ExitCode, isToezichtError, UsageError } from '../errors.js';
import { cameraCutoff } from '../footage/index.js';
import { openStorage, S3Store, SEGMENT_GONE, SEGMENT_REPLACED, type FootageStore, type SegmentReader } from '../storage/index.js';
import { sha256Reader } from './hash.js';
import { MANIFEST_FILE, type Manifest, type ManifestSource } from './manifest.js';
import { verifyPackage, type VerifyOptions, type VerifyReport } from './verify.js';

export type SourceStatus = 'unchanged' | 'changed' | 'missing' | 'unreadable';

/** A source as the manifest names it (camera, storage, path; bucket, key and version on S3), and what was found. */
export interface SourceCheck extends Pick<ManifestSource, 'camera' | 'storage' | 'path' | 'bucket' | 'key' | 'versionId'> {
  status: SourceStatus;
  /** What the manifest says. */
  expected: { sha256: string; bytes: number };
  /** What was read now (unchanged, changed). */
  actual?: { sha256?: string; bytes: number };
  /** For a missing source: whether the camera's retention has passed for it (then the purge removed it, as it should). */
  retention?: 'passed' | 'not-passed' | 'unknown';
  /** One sentence: what was found. */
  detail: string;
}

export interface SourcesReport {
  ok: boolean;
  checked: number;
  unchanged: number;
  changed: number;
  missing: number;
  unreadable: number;
  sources: SourceCheck[];
  /** Requests sent to object storage (and how many were retries). */
  requests?: { requests: number; retries: number };
}

/** `ok`: the package and every source; `packageOk`: the package alone. */
export type VerifyWithSourcesReport = VerifyReport & { packageOk: boolean; sources: SourcesReport };

export interface SourcesOptions {
  now?: number;
  /** Sources read at once. */
  parallel?: number;
}

/** The package check, then every source it names read again from the school's storage. */
export async function verifyWithSources(dir: string, config: Config, options: VerifyOptions & SourcesOptions = {}): Promise<VerifyWithSourcesReport> {
  let manifest: Manifest | undefined;
  const report = await verifyPackage(dir, { ...options, onManifest: (m) => (manifest = m) });
  if (!manifest) {
    throw new UsageError(
      'verify.sources-manifest',
      report.encrypted && !report.contentsChecked
        ? `${report.dir} is encrypted: --sources needs its manifest, which is inside the archive; give --identity FILE (an age identity of a recipient).`
        : `${report.dir} has no readable ${MANIFEST_FILE}, so its sources are not known; run without --sources to see what is wrong with the package.`,
    );
  }
  const sources = await verifySources(manifest, config, options);
  return { ...report, ok: report.ok && sources.ok, packageOk: report.ok, sources };
}

/** Every source of the manifest, once: the export's `sources` and, with several cameras, each clip's. */
export function manifestSources(manifest: Manifest): ManifestSource[] {
  const seen = new Set<string>();
  const out: ManifestSource[] = [];
  for (const s of [...(manifest.sources ?? []), ...(manifest.clips ?? []).flatMap((c) => c.sources ?? [])]) {
    const id = [s.storage, s.path, s.bucket ?? '', s.key ?? '', s.versionId ?? ''].join('\u0000');
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(s);
  }
  return out;
}

interface Opened {
  store?: FootageStore;
  /** Why none of this storage's sources can be read. */
  problem?: string;
}

export async function verifySources(manifest: Manifest, config: Config, options: SourcesOptions = {}): Promise<SourcesReport> {
  const now = options.now ?? Date.now();
  const list = manifestSources(manifest);
  const stores = new Map<string, Promise<Opened>>();
  const s3Stores: S3Store[] = [];

  /** The store a source is read from: the configured file tree, or its bucket (with no prefix: the key is whole). */
  const storeFor = (source: ManifestSource): Promise<Opened> => {
    const spec = config.storage.find((s) => s.id === source.storage);
    const id = `${source.storage}\u0000${source.bucket ?? ''}`;
    let opened = stores.get(id);
    if (!opened) {
      opened = openStore(spec, source, s3Stores, config.school.timezone);
      stores.set(id, opened);
    }
    return opened;
  };

  const results: SourceCheck[] = new Array(list.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(options.parallel ?? 4, list.length) }, async () => {
      while (next < list.length) {
        const i = next++;
        results[i] = await checkSource(list[i]!, await storeFor(list[i]!), config, now);
      }
    }),
  );
  const count = (status: SourceStatus): number => results.filter((r) => r.status === status).length;
  const report: SourcesReport = {
    ok: results.every((r) => r.status === 'unchanged'),
    checked: results.length,
    unchanged: count('unchanged'),
    changed: count('changed'),
    missing: count('missing'),
    unreadable: count('unreadable'),
    sources: results,
  };
  if (s3Stores.length) {
    report.requests = s3Stores.reduce((sum, s) => {
      const st = s.requestStats();
      return { requests: sum.requests + st.requests, retries: sum.retries + st.retries };
    }, { requests: 0, retries: 0 });
  }
  return report;
}

async function openStore(spec: ResolvedStorage | undefined, source: ManifestSource, s3Stores: S3Store[], timeZone: string): Promise<Opened> {
  if (!spec) return { problem: `storage ${source.storage} is not in the config (was it renamed? give the config of the school that made the export with --config)` };
  let store: FootageStore;
  if (spec.type === 's3') {
    // The manifest names bucket and full key; without them (a source read before they were recorded) the configured
    // bucket and prefix give the key from the path.
    const s3 = new S3Store({
      id: spec.id,
      ...(spec.endpoint ? { endpoint: spec.endpoint } : {}),
      region: spec.region,
      bucket: source.bucket ?? spec.bucket,
      prefix: source.key !== undefined ? '' : spec.prefix,
      forcePathStyle: spec.forcePathStyle,
      ...(spec.credentials ? { credentials: spec.credentials } : {}),
    });
    s3Stores.push(s3);
    store = s3;
  } else if (spec.type === 'recorder') {
    return { problem: `storage ${spec.id} is a recorder: its footage is checked against the clip's own hash, not read back from the recorder` };
  } else {
    if (source.bucket !== undefined) return { problem: `storage ${spec.id} is a file tree now, but the source was read from bucket ${source.bucket}` };
    store = openStorage(spec, timeZone).store;
  }
  try {
    const check = await store.check();
    if (!check.ok) return { problem: `storage ${spec.id}: ${check.problem}` };
  } catch (error) {
    // No keys, or an unreadable credentials file: the config is wrong, not the footage (exit 2).
    if (isToezichtError(error) && error.exitCode === ExitCode.usage) throw error;
    return { problem: `storage ${spec.id}: ${(error as Error).message}` };
  }
  return { store };
}

async function checkSource(source: ManifestSource, opened: Opened, config: Config, now: number): Promise<SourceCheck> {
  const where = source.bucket && source.key ? `s3://${source.bucket}/${source.key}${source.versionId ? ` (version ${source.versionId})` : ''}` : `${source.storage}:${source.path}`;
  const base = {
    camera: source.camera,
    storage: source.storage,
    path: source.path,
    ...(source.bucket !== undefined ? { bucket: source.bucket } : {}),
    ...(source.key !== undefined ? { key: source.key } : {}),
    ...(source.versionId !== undefined ? { versionId: source.versionId } : {}),
    expected: { sha256: source.sha256, bytes: source.bytes },
  };
  if (!opened.store) return { ...base, status: 'unreadable', detail: `${where} could not be read: ${opened.problem}.` };
  let reader: SegmentReader;
  try {
    reader = await opened.store.openSegment(source.key ?? source.path, source.versionId ? { versionId: source.versionId } : {});
  } catch (error) {
    const code = isToezichtError(error) ? error.code : '';
    if (code === SEGMENT_GONE) return { ...base, ...gone(source, where, config, now) };
    return { ...base, status: 'unreadable', detail: `${where} could not be read: ${(error as Error).message}` };
  }
  try {
    if (reader.bytes !== source.bytes) {
      return { ...base, status: 'changed', actual: { bytes: reader.bytes }, detail: `${where} has changed: it is ${reader.bytes} bytes now, the manifest says ${source.bytes}.` };
    }
    const actual = await sha256Reader(reader);
    if (actual.sha256 !== source.sha256) {
      return { ...base, status: 'changed', actual, detail: `${where} has changed: its SHA-256 is not the one in the manifest.` };
    }
    return { ...base, status: 'unchanged', actual, detail: `${where} is unchanged.` };
  } catch (error) {
    const code = isToezichtError(error) ? error.code : '';
    if (code === SEGMENT_GONE) return { ...base, ...gone(source, where, config, now) };
    if (code === SEGMENT_REPLACED) return { ...base, status: 'changed', detail: (error as Error).message };
    return { ...base, status: 'unreadable', detail: `${where} could not be read: ${(error as Error).message}` };
  } finally {
    await reader.close();
  }
}

/** A source that is no longer in its storage: past its retention (purged, as it should be) or deleted before then. */
function gone(source: ManifestSource, where: string, config: Config, now: number): Pick<SourceCheck, 'status' | 'retention' | 'detail'> {
  const camera = config.cameras.find((c) => c.id === source.camera);
  const end = Date.parse(source.end);
  if (!camera || !Number.isFinite(end)) {
    return { status: 'missing', retention: 'unknown', detail: `${where} is gone from its storage (purged or deleted); camera ${source.camera} is not in the config, so whether its retention has passed is not known.` };
  }
  const cutoff = cameraCutoff(camera, config.school.timezone, now);
  if (end < cutoff.before) {
    return { status: 'missing', retention: 'passed', detail: `${where} is gone from its storage: the footage has passed its retention (${cutoff.rule}) and was purged, as it should be; the package is what remains.` };
  }
  return { status: 'missing', retention: 'not-passed', detail: `${where} is gone from its storage although its retention (${cutoff.rule}) has not passed: it was deleted, not by the purge.` };
}
