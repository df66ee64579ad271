// `footage status`: per camera what is on storage, and retention proof both ways — footage kept too long
// (an error) and footage that starts later than the retention allows (a recorder losing footage early).
import { requireSchools, type Config } from '../config/index.js';
import type { Register } from '../register/index.js';
import { formatUtc, parseInstant } from '../time/index.js';
import { recorderStatus, type RecorderCameraStatus } from './recorders.js';
import { cameraCutoff, decide, holdsByCamera, storageViews } from './rules.js';

export interface CameraStatus {
  id: string;
  /** The school whose camera it is, in a board's config. */
  school?: string;
  name?: string;
  category: string;
  storage?: string;
  rule: string;
  cutoff: string | null;
  files: number;
  bytes: number;
  oldest: string | null;
  newest: string | null;
  held: { files: number; bytes: number };
  expired: { files: number; bytes: number; oldest: string | null };
  /** Age in days of the oldest footage no hold keeps: what the storage really retains. */
  actualRetentionDays: number | null;
  /** A camera on a recorder: which recording, and how long the recorder is set to keep it. */
  recorder?: RecorderCameraStatus;
}

export interface Finding {
  severity: 'error' | 'warning';
  rule: string;
  camera?: string;
  storage?: string;
  message: string;
}

export interface StatusReport {
  now: string;
  cameras: CameraStatus[];
  unknown: { files: number; samples: { storage: string; path: string }[] };
  storages: { id: string; root: string; ok: boolean; problem?: string }[];
  findings: Finding[];
}

// A purge that runs daily leaves up to a day more than the retention; only a bigger shortfall is a finding.
const SHORT_SLACK_MS = 36 * 3_600_000;

export async function footageStatus(config: Config, register: Register, options: { now: number; schools?: string[] }): Promise<StatusReport> {
  const now = options.now;
  if (options.schools?.length) config = onlySchools(config, options.schools);
  const holds = holdsByCamera(await register.listHolds());
  const report: StatusReport = { now: formatUtc(now), cameras: [], unknown: { files: 0, samples: [] }, storages: [], findings: [] };
  const acc = new Map<string, { status: CameraStatus; oldest: number; newest: number; oldestUnheld: number; oldestExpired: number; cutoff: number }>();
  for (const camera of config.cameras) {
    const cutoff = cameraCutoff(camera, config.school.timezone, now);
    const status: CameraStatus = {
      id: camera.id,
      ...(camera.school ? { school: camera.school } : {}),
      ...(camera.name ? { name: camera.name } : {}),
      category: camera.category,
      ...(camera.storage ? { storage: camera.storage } : {}),
      rule: cutoff.rule,
      cutoff: Number.isFinite(cutoff.before) ? formatUtc(cutoff.before) : null,
      files: 0,
      bytes: 0,
      oldest: null,
      newest: null,
      held: { files: 0, bytes: 0 },
      expired: { files: 0, bytes: 0, oldest: null },
      actualRetentionDays: null,
    };
    report.cameras.push(status);
    acc.set(camera.id, { status, oldest: Infinity, newest: -Infinity, oldestUnheld: Infinity, oldestExpired: Infinity, cutoff: cutoff.before });
  }

  for (const view of storageViews(config)) {
    const check = await view.store.check();
    report.storages.push({ id: view.id, root: view.root, ok: check.ok, ...(check.problem ? { problem: check.problem } : {}) });
    if (!check.ok) {
      report.findings.push({ severity: 'error', rule: 'storage.unavailable', storage: view.id, message: `storage ${view.id}: ${check.problem}` });
      continue;
    }
    for await (const chunk of view.store.walk()) {
      if (chunk.error) {
        report.findings.push({ severity: 'error', rule: 'storage.unreadable', storage: view.id, message: `storage ${view.id}: ${chunk.dir || '.'}: ${chunk.error}` });
        continue;
      }
      const names: string[] = [];
      const parsedList: { parsed: NonNullable<ReturnType<typeof view.parse>>; camera: NonNullable<ReturnType<typeof view.cameras.get>>; bytes: number | undefined }[] = [];
      for (const entry of chunk.entries) {
        const rel = chunk.dir ? `${chunk.dir}/${entry.name}` : entry.name;
        const parsed = entry.kind === 'file' ? view.parse(rel) : undefined;
        const camera = parsed ? view.cameras.get(parsed.camera) : undefined;
        if (!parsed || !camera) {
          report.unknown.files++;
          if (report.unknown.samples.length < 20) report.unknown.samples.push({ storage: view.id, path: rel });
          continue;
        }
        names.push(entry.name);
        parsedList.push({ parsed, camera, bytes: entry.bytes });
      }
      // An object store's listing has the sizes already; a file tree is asked (one stat per file).
      const sizes = parsedList.every((p) => p.bytes !== undefined) ? parsedList.map((p) => p.bytes) : await view.store.sizes(chunk.dir, names);
      parsedList.forEach(({ parsed, camera }, i) => {
        const a = acc.get(camera.id)!;
        const bytes = sizes[i] ?? 0;
        const s = a.status;
        s.files++;
        s.bytes += bytes;
        a.oldest = Math.min(a.oldest, parsed.start);
        a.newest = Math.max(a.newest, parsed.end);
        // Held footage counts apart whether or not it has expired: it is not what the storage retains by itself.
        const held = (holds.get(camera.id) ?? []).filter((h) => parsed.start <= h.to && parsed.end >= h.from);
        if (held.length) {
          s.held.files++;
          s.held.bytes += bytes;
          return;
        }
        a.oldestUnheld = Math.min(a.oldestUnheld, parsed.start);
        if (decide(parsed, a.cutoff, []).action === 'delete') {
          s.expired.files++;
          s.expired.bytes += bytes;
          a.oldestExpired = Math.min(a.oldestExpired, parsed.start);
        }
      });
    }
  }

  // Cameras on a recorder: what the recorder says it holds (footage/recorders.ts).
  const onRecorders = await recorderStatus(config, report, now, SHORT_SLACK_MS);

  for (const camera of config.cameras) {
    if (onRecorders.has(camera.id)) continue;
    const a = acc.get(camera.id)!;
    const s = a.status;
    if (s.files) {
      s.oldest = formatUtc(a.oldest);
      s.newest = formatUtc(a.newest);
    }
    if (Number.isFinite(a.oldestUnheld)) s.actualRetentionDays = Math.round(((now - a.oldestUnheld) / 86_400_000) * 10) / 10;
    if (s.expired.files) {
      s.expired.oldest = formatUtc(a.oldestExpired);
      report.findings.push({
        severity: 'error',
        rule: 'retention.exceeded',
        camera: camera.id,
        message: `${camera.id}: ${s.expired.files} segment${s.expired.files === 1 ? '' : 's'} (${s.expired.bytes} bytes) kept past retention (${s.rule}), the oldest from ${s.expired.oldest}; run \`toezicht footage purge\``,
      });
    }
    if (a.cutoff === -Infinity && camera.category !== 'covert') {
      report.findings.push({ severity: 'warning', rule: 'retention.not-set', camera: camera.id, message: `${camera.id}: ${s.rule}` });
    }
    if (!camera.storage) continue;
    if (!s.files) {
      report.findings.push({ severity: 'warning', rule: 'footage.none', camera: camera.id, message: `${camera.id}: no footage found on storage ${camera.storage} (check cameras[].path)` });
      continue;
    }
    const since = camera.since ? parseInstant(camera.since, config.school.timezone) : undefined;
    const installedBeforeCutoff = since === undefined || since < a.cutoff;
    if (Number.isFinite(a.cutoff) && installedBeforeCutoff && Number.isFinite(a.oldestUnheld) && a.oldestUnheld > a.cutoff + SHORT_SLACK_MS) {
      report.findings.push({
        severity: 'warning',
        rule: 'retention.short',
        camera: camera.id,
        message: `${camera.id}: the oldest footage is from ${formatUtc(a.oldestUnheld)} (${s.actualRetentionDays} days), shorter than its retention (${s.rule}): the recorder loses footage early, an evidence gap`,
      });
    }
  }
  if (report.unknown.files) {
    report.findings.push({
      severity: 'warning',
      rule: 'storage.unknown-files',
      message: `${report.unknown.files} file${report.unknown.files === 1 ? '' : 's'} on storage match no layout or no configured camera; the purge leaves them alone (e.g. ${report.unknown.samples[0]?.storage}:${report.unknown.samples[0]?.path})`,
    });
  }
  return report;
}

/** The config narrowed to the cameras of these schools and the storages they use (`--school`). */
export function onlySchools(config: Config, schools: readonly string[]): Config {
  requireSchools(config, schools);
  const cameras = config.cameras.filter((c) => c.school !== undefined && schools.includes(c.school));
  const used = new Set(cameras.flatMap((c) => (c.storage ? [c.storage] : [])));
  return { ...config, cameras, storage: config.storage.filter((s) => used.has(s.id)) };
}
