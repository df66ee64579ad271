// Footage a recorder (NVR) keeps on its own disks, reached over ONVIF Profile G: what `footage status` and `footage
// purge` do with it. A recorder deletes its own footage; the purge makes it keep no longer than allowed by setting
// each recording's MaximumRetentionTime, audited with the old and new value. It never deletes a recording.
import { listRecordings, openRecorder, setRecordingRetention, type Credentials, type RecorderRecording, type RecorderSession } from '../devices/index.js';
import type { Config, RecorderStorage, ResolvedCamera } from '../config/index.js';
import { UsageError } from '../errors.js';
import type { Register } from '../register/index.js';
import { formatUtc } from '../time/index.js';
import { cameraCutoff } from './rules.js';
import type { StatusReport } from './status.js';

const DAY = 86_400_000;
/** A recorder deletes in blocks (often an hour of footage at a time): older footage within this much is not a finding. */
export const RECORDER_SLACK_MS = 2 * 3_600_000;

/** The recorder storages of the config. */
export function recorderStorages(config: Config): RecorderStorage[] {
  return config.storage.filter((s): s is RecorderStorage => s.type === 'recorder');
}

/** ISO 8601 duration (the xs:duration subset devices use) → ms; undefined for months/years or unreadable text. */
export function durationMs(text: string | null | undefined): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec((text ?? '').trim());
  if (!m || text === 'P' || /T$/.test(text!)) return undefined;
  return ((((Number(m[1] ?? 0) * 7 + Number(m[2] ?? 0)) * 24 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 60 + Number(m[5] ?? 0)) * 1000;
}

/**
 * The MaximumRetentionTime a camera's retention comes to today, in whole days (a duration in months or until the
 * end of the school year is counted from today, so the purge sets it afresh each night). Undefined when the camera's
 * footage is kept without limit for now (no retention set, a covert camera within its authorised period).
 */
export function wantedRetention(camera: ResolvedCamera, config: Config, now: number): { duration: string; ms: number; rule: string } | undefined {
  const cutoff = cameraCutoff(camera, config.school.timezone, now);
  if (!Number.isFinite(cutoff.before)) return undefined;
  // Across a change to or from summer time a day is 23 or 25 hours: two hours of slack keep P28D at 28 days.
  const days = Math.max(1, Math.floor((now - cutoff.before + 2 * 3_600_000) / DAY));
  return { duration: `P${days}D`, ms: days * DAY, rule: cutoff.rule };
}

export interface RecorderCameraReading {
  camera: ResolvedCamera;
  recording?: RecorderRecording;
  problem?: string;
}

export interface RecorderReading {
  storage: RecorderStorage;
  session?: RecorderSession;
  credentials?: Credentials;
  error?: string;
  cameras: RecorderCameraReading[];
}

/** Each recorder storage with the recordings of its cameras (the ones selected); a recorder that fails is an error entry. */
export async function readRecorders(config: Config, only?: { cameras?: Set<string>; storages?: readonly string[] }): Promise<RecorderReading[]> {
  const out: RecorderReading[] = [];
  for (const storage of recorderStorages(config)) {
    if (only?.storages?.length && !only.storages.includes(storage.id)) continue;
    const cameras = config.cameras.filter((c) => c.storage === storage.id && (!only?.cameras || only.cameras.has(c.id)));
    if (!cameras.length) continue;
    const reading: RecorderReading = { storage, cameras: cameras.map((camera) => ({ camera })) };
    out.push(reading);
    try {
      const { session, credentials } = await openRecorder(config, storage);
      reading.session = session;
      reading.credentials = credentials;
      const recordings = await listRecordings(session);
      for (const entry of reading.cameras) {
        if (entry.camera.recording === undefined) {
          entry.problem = `${entry.camera.id}: names no recording of recorder ${storage.id}; set cameras[].recording (\`toezicht cameras show ${storage.id}\` lists them, \`cameras discover --save\` fills in the ones it can match)`;
          continue;
        }
        entry.recording = recordings.find((r) => r.token === entry.camera.recording);
        if (!entry.recording) {
          entry.problem = `${entry.camera.id}: recorder ${storage.id} (${storage.address}) has no recording "${entry.camera.recording}"; it has ${recordings.map((r) => `${r.token}${r.source ? ` (${r.source})` : ''}`).join(', ') || 'none'}`;
        }
      }
    } catch (error) {
      if (error instanceof UsageError) throw error;
      reading.error = `recorder ${storage.id}: ${(error as Error).message}`;
    }
  }
  return out;
}

export interface RecorderRetention {
  storage: string;
  address: string;
  serial: string | null;
  camera: string;
  recording: string;
  /** MaximumRetentionTime before (null when the recorder does not say), and what it should be. */
  old: string | null;
  wanted: string | null;
  action: 'unchanged' | 'set' | 'would-set' | 'refused' | 'no-control' | 'unread';
  /** Oldest footage on the recorder, and whether it is older than allowed. */
  oldest: string | null;
  tooOld: boolean;
  message?: string;
}

/**
 * The purge's part on recorders: per camera, MaximumRetentionTime set where it differs (not in a dry run or check),
 * each change audited; problems go to `errors` (the run exits 1) and notes to `warnings`.
 */
export async function purgeRecorders(
  config: Config,
  register: Register,
  options: { now: number; dryRun: boolean; check: boolean; cameras?: Set<string>; storages?: readonly string[] },
  out: { errors: { storage: string; path: string; message: string }[]; warnings: string[] },
): Promise<RecorderRetention[]> {
  const results: RecorderRetention[] = [];
  for (const reading of await readRecorders(config, { ...(options.cameras ? { cameras: options.cameras } : {}), ...(options.storages ? { storages: options.storages } : {}) })) {
    const { storage, session } = reading;
    if (reading.error || !session) {
      out.errors.push({ storage: storage.id, path: storage.address, message: `${reading.error}; its retention could not be checked` });
      continue;
    }
    for (const { camera, recording, problem } of reading.cameras) {
      const base = { storage: storage.id, address: storage.address, serial: session.identity.serial, camera: camera.id, recording: camera.recording ?? '' };
      if (!recording) {
        out.errors.push({ storage: storage.id, path: camera.recording ?? '', message: problem ?? `${camera.id}: no recording` });
        results.push({ ...base, old: null, wanted: null, action: 'unread', oldest: null, tooOld: false, message: problem! });
        continue;
      }
      const wanted = wantedRetention(camera, config, options.now);
      const cutoff = cameraCutoff(camera, config.school.timezone, options.now).before;
      const oldestMs = recording.from ? Date.parse(recording.from) : undefined;
      const tooOld = oldestMs !== undefined && Number.isFinite(cutoff) && oldestMs < cutoff - RECORDER_SLACK_MS;
      const entry: RecorderRetention = { ...base, old: recording.maximumRetention, wanted: wanted?.duration ?? null, action: 'unchanged', oldest: recording.from, tooOld };
      results.push(entry);
      const oldestNote = tooOld ? `${camera.id}: recorder ${storage.id} still holds footage from ${recording.from}, older than its retention (${wanted?.rule ?? 'its cut-off'}) allows` : undefined;
      if (!wanted) {
        entry.message = `${camera.id}: no retention applies now (${cameraCutoff(camera, config.school.timezone, options.now).rule}); its recorder setting is left as it is`;
        out.warnings.push(entry.message);
        continue;
      }
      const byHand = `set the retention (MaximumRetentionTime, often "keep footage for … days") of recording ${recording.token}${recording.source ? ` (${recording.source})` : ''} to ${wanted.duration} on the recorder ${storage.address} by hand`;
      if (recording.maximumRetention === null) {
        // No recording control: toezicht can neither read nor set it; a person must.
        entry.action = 'no-control';
        entry.message = `${camera.id}: recorder ${storage.id} offers no recording control (GetRecordingConfiguration), so toezicht cannot read or set how long it keeps recording ${recording.token}; ${byHand}`;
        if (options.dryRun && !options.check) out.warnings.push(entry.message);
        else out.errors.push({ storage: storage.id, path: recording.token, message: entry.message });
        if (oldestNote) out.errors.push({ storage: storage.id, path: recording.token, message: oldestNote });
        continue;
      }
      const current = durationMs(recording.maximumRetention);
      const differs = current === undefined || current === 0 || Math.abs(current - wanted.ms) >= 1000;
      if (differs && (options.dryRun || options.check)) {
        entry.action = 'would-set';
        entry.message = `${camera.id}: recorder ${storage.id} keeps recording ${recording.token} for ${recording.maximumRetention ?? 'an unknown time'}; its retention is ${wanted.duration}`;
        if (options.check) out.errors.push({ storage: storage.id, path: recording.token, message: entry.message });
      } else if (differs) {
        const change = await setRecordingRetention(session, recording.token, wanted.duration);
        if (change.changed) {
          entry.action = 'set';
          await register.appendAudit('recorder.retention', { storage: storage.id, address: storage.address, serial: session.identity.serial, camera: camera.id, recording: recording.token, old: recording.maximumRetention, new: wanted.duration, rule: wanted.rule, at: formatUtc(options.now) });
        } else {
          entry.action = change.reason;
          entry.message = `${camera.id}: recorder ${storage.id} ${change.reason === 'refused' ? `refused the retention setting (${change.detail})` : change.detail}; ${byHand}`;
          out.errors.push({ storage: storage.id, path: recording.token, message: entry.message });
        }
      }
      if (oldestNote) {
        // After a change the recorder deletes on its own schedule; a check, or a run that could not set it, fails.
        if (options.check || entry.action === 'refused' || entry.action === 'no-control') out.errors.push({ storage: storage.id, path: recording.token, message: oldestNote });
        else out.warnings.push(`${oldestNote}; the recorder deletes it on its own schedule now that its retention is ${wanted.duration}`);
      }
    }
  }
  return results;
}

/** What `footage status` shows of a camera on a recorder. */
export interface RecorderCameraStatus {
  storage: string;
  address: string;
  serial: string | null;
  recording: string;
  source: string | null;
  maximumRetention: string | null;
}

/**
 * `footage status` for cameras on recorders: oldest and newest footage from the recorder's own account, and the
 * retention proof both ways as for files. Fills the cameras' entries of `report` in place; returns their ids.
 */
export async function recorderStatus(
  config: Config,
  report: StatusReport,
  now: number,
  shortSlackMs: number,
): Promise<Set<string>> {
  const done = new Set<string>();
  for (const reading of await readRecorders(config)) {
    const { storage, session } = reading;
    report.storages.push({ id: storage.id, root: storage.root, ok: !reading.error, ...(reading.error ? { problem: reading.error } : {}) });
    if (reading.error || !session) report.findings.push({ severity: 'error', rule: 'storage.unavailable', storage: storage.id, message: reading.error ?? `recorder ${storage.id} could not be read` });
    for (const { camera, recording, problem } of reading.cameras) {
      done.add(camera.id);
      const status = report.cameras.find((c) => c.id === camera.id);
      if (!status || !session) continue;
      status.recorder = { storage: storage.id, address: storage.address, serial: session.identity.serial, recording: camera.recording ?? '', source: recording?.source ?? null, maximumRetention: recording?.maximumRetention ?? null };
      if (!recording) {
        report.findings.push({ severity: 'error', rule: 'recorder.no-recording', camera: camera.id, storage: storage.id, message: `${problem}; fix cameras[].recording` });
        continue;
      }
      status.oldest = recording.from;
      status.newest = recording.until;
      const cutoff = cameraCutoff(camera, config.school.timezone, now).before;
      if (!recording.from) {
        report.findings.push({ severity: 'warning', rule: 'footage.none', camera: camera.id, message: `${camera.id}: recorder ${storage.id} has no footage in recording ${recording.token}` });
        continue;
      }
      const oldest = Date.parse(recording.from);
      status.actualRetentionDays = Math.round(((now - oldest) / DAY) * 10) / 10;
      if (Number.isFinite(cutoff) && oldest < cutoff - RECORDER_SLACK_MS) {
        status.expired.oldest = recording.from;
        report.findings.push({
          severity: 'error',
          rule: 'retention.exceeded',
          camera: camera.id,
          storage: storage.id,
          message: `${camera.id}: recorder ${storage.id} holds footage from ${recording.from}, past retention (${status.rule}); run \`toezicht footage purge\` to set its retention (MaximumRetentionTime ${recording.maximumRetention ?? 'unknown'} now)`,
        });
      }
      const since = camera.since ? Date.parse(camera.since) : undefined;
      if (Number.isFinite(cutoff) && (since === undefined || since < cutoff) && oldest > cutoff + shortSlackMs) {
        report.findings.push({
          severity: 'warning',
          rule: 'retention.short',
          camera: camera.id,
          storage: storage.id,
          message: `${camera.id}: the oldest footage on recorder ${storage.id} is from ${recording.from} (${status.actualRetentionDays} days), shorter than its retention (${status.rule}): the recorder loses footage early, an evidence gap`,
        });
      }
    }
  }
  return done;
}
