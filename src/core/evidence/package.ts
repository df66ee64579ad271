// Assembling the package in its work folder: the manifest (with the hash of every source and every file), the
// custody record, the school's public key, the signature, SHA256SUMS; and, for named receivers, all of it as one
// encrypted archive with nothing unencrypted left beside it.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config/index.js';
import type { Actor, Hold } from '../register/index.js';
import { timelineSpan } from '../media/index.js';
import type { ClipPlan } from './cut.js';
import type { WrittenClip } from './clip.js';
import { CUSTODY_FILE, ENCRYPTED_README, renderCustodyRecord, renderEncryptedReadme, type CustodyContext, type Language } from './custody.js';
import { encryptFiles } from './encrypt.js';
import { sha256File } from './hash.js';
import {
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  SUMS_FILE,
  serializeManifest,
  sumsText,
  type Manifest,
  type ManifestClip,
  type ManifestFile,
  type ManifestGap,
  type ManifestRedacted,
} from './manifest.js';
import { signBytes, type SigningKey } from './signing.js';
import type { CameraSources } from './sources.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export type SourceHashes = Map<string, Promise<{ sha256: string; bytes: number }>>;

/**
 * Starts hashing the source segments of the plans on a worker thread (they are read once more, alongside ffmpeg,
 * in order). `close()` ends the thread once the hashes are in.
 */
export function hashSources(plansIn: Iterable<ClipPlan>): { hashes: SourceHashes; close: () => Promise<void> } {
  const plans = [...plansIn];
  const script = new URL('./hash-worker.js', import.meta.url);
  // Run from the TypeScript sources (tests), there is no compiled worker: hash on this thread, one file at a time.
  // Nothing to hash (toezicht copies every clip itself and hashes as it reads): no thread either.
  if (!existsSync(fileURLToPath(script)) || !plans.some((p) => p.parts.some((part) => !part.segment.open))) return hashSourcesHere(plans);
  const worker = new Worker(script);
  const pending = new Map<number, { resolve: (v: { sha256: string; bytes: number }) => void; reject: (e: Error) => void }>();
  worker.on('message', (m: { id: number; sha256?: string; bytes?: number; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error !== undefined) p?.reject(new Error(`cannot read it (${m.error})`));
    else p?.resolve({ sha256: m.sha256!, bytes: m.bytes! });
  });
  worker.on('error', (error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  });
  const hashes: SourceHashes = new Map();
  let id = 0;
  for (const p of plans) {
    for (const part of p.parts) {
      const file = part.segment.localPath;
      // An object is hashed as the clip is copied from it (read once); see clip.ts.
      if (part.segment.open || hashes.has(file)) continue;
      const n = id++;
      const promise = new Promise<{ sha256: string; bytes: number }>((resolve, reject) => pending.set(n, { resolve, reject }));
      // Handled here so a failure nobody waits for (the export stopped first) is no unhandled rejection.
      promise.catch(() => undefined);
      hashes.set(file, promise);
      worker.postMessage({ id: n, file });
    }
  }
  return {
    hashes,
    close: async () => {
      await worker.terminate();
    },
  };
}

function hashSourcesHere(plans: Iterable<ClipPlan>): { hashes: SourceHashes; close: () => Promise<void> } {
  const hashes: SourceHashes = new Map();
  let chain: Promise<unknown> = Promise.resolve();
  for (const p of plans) {
    for (const part of p.parts) {
      const file = part.segment.localPath;
      // An object is hashed as the clip is copied from it (read once); see clip.ts.
      if (part.segment.open || hashes.has(file)) continue;
      const next = chain.then(() => sha256File(file));
      chain = next.catch(() => undefined);
      hashes.set(file, next);
    }
  }
  return { hashes, close: async () => undefined };
}

export interface ManifestInput {
  config: Config;
  exportId: string;
  request: { caseRef?: string | undefined; reason?: string; legalBasis?: string; recipient?: string; keepAudio?: boolean; clockOffsetSeconds?: number; language: Language };
  range: { from: number; to: number };
  clips: { sources: CameraSources; plan: ClipPlan; clip: WrittenClip }[];
  sourceHashes: SourceHashes;
  operator: Actor;
  createdAt: string;
  tool: Manifest['tool'];
  hold: Hold | null;
  keepUntil: number | undefined;
  key: SigningKey;
  /** Redacted working copies, by camera (--redact). */
  redacted?: Map<string, ManifestRedacted>;
}

function clockSource(clips: ManifestInput['clips']): string {
  const layouts = [...new Set(clips.map((c) => c.sources.view.layout))];
  const text: Record<string, string> = {
    frigate: 'Frigate folder and file names (UTC)',
    synology: 'Synology Surveillance Station file names (local time with Unix time)',
    pattern: 'file paths by the configured pattern',
  };
  return `${layouts.map((l) => text[l] ?? l).join('; ')}, written by the recorder when it opened each segment, plus each frame's time within its segment`;
}

export async function buildManifest(input: ManifestInput): Promise<Manifest> {
  const tz = input.config.school.timezone;
  const clips: ManifestClip[] = [];
  for (const { sources, plan, clip } of input.clips) {
    const camera = sources.camera;
    const manifestSources = [];
    for (const part of plan.parts) {
      const hashed = clip.sourceHashes.get(part.segment.localPath) ?? (await (input.sourceHashes.get(part.segment.localPath) ?? sha256File(part.segment.localPath)));
      if (hashed.bytes !== part.segment.media.bytes) {
        throw new Error(`segment ${part.segment.relPath} changed while it was exported (${part.segment.media.bytes} bytes, now ${hashed.bytes}); export again`);
      }
      const span = timelineSpan(part.segment.media.video);
      manifestSources.push({
        camera: camera.id,
        storage: sources.view.id,
        path: part.segment.relPath,
        ...(part.segment.origin ? { bucket: part.segment.origin.bucket, key: part.segment.origin.key, ...(part.segment.origin.versionId ? { versionId: part.segment.origin.versionId } : {}) } : {}),
        sha256: hashed.sha256,
        bytes: hashed.bytes,
        start: iso(part.segment.start + Math.round(span.start * 1000)),
        end: iso(part.segment.start + Math.round(span.end * 1000)),
        used: { from: iso(part.wallFrom), to: iso(part.wallTo) },
      });
    }
    const gaps: ManifestGap[] = plan.gaps.map((g) => ({
      camera: camera.id,
      from: iso(g.from),
      to: iso(g.to),
      seconds: Math.round((g.to - g.from) / 100) / 10,
      reason: g.reason,
      ...(g.segments ? { segments: g.segments } : {}),
    }));
    clips.push({
      camera: camera.id,
      ...(camera.name ? { name: camera.name } : {}),
      ...(camera.location ? { location: camera.location } : {}),
      ...(camera.school ? { school: camera.school } : {}),
      requested: { from: iso(input.range.from), to: iso(input.range.to) },
      covered: { from: iso(plan.covered.from), to: iso(plan.covered.to) },
      gaps,
      sources: manifestSources,
      output: {
        file: clip.file,
        sha256: clip.sha256,
        bytes: clip.bytes,
        durationSeconds: clip.durationSeconds,
        frames: clip.frames,
        codec: plan.video.codec,
        ...(plan.video.width ? { width: plan.video.width, height: plan.video.height! } : {}),
        audio: Boolean(input.request.keepAudio) && (plan.streamIds?.length ?? 0) > 1,
        creationTime: iso(plan.covered.from),
        writer: clip.writer,
      },
      notes: clip.notes,
      ...(input.redacted?.has(camera.id) ? { redacted: input.redacted.get(camera.id)! } : {}),
    });
  }
  const one = clips.length === 1 ? clips[0]! : undefined;
  const covered = {
    from: iso(Math.min(...input.clips.map((c) => c.plan.covered.from))),
    to: iso(Math.max(...input.clips.map((c) => c.plan.covered.to))),
  };
  const text = (v: string | undefined): string | null => (v && v.trim() ? v.trim() : null);
  return {
    format: MANIFEST_FORMAT,
    exportId: input.exportId,
    case: text(input.request.caseRef),
    reason: text(input.request.reason),
    legalBasis: text(input.request.legalBasis),
    recipient: text(input.request.recipient),
    school: { name: input.config.school.name, ...(input.config.school.board ? { board: input.config.school.board } : {}) },
    camera: one ? one.camera : null,
    cameras: clips.map((c) => c.camera),
    requested: { from: iso(input.range.from), to: iso(input.range.to) },
    covered,
    timezone: tz,
    gaps: clips.flatMap((c) => c.gaps),
    sources: clips.flatMap((c) => c.sources),
    output: one ? one.output : null,
    clips,
    ...(input.redacted ? { redacted: one?.redacted ?? null } : {}),
    operator: { user: input.operator.user, ...(input.operator.sudoUser ? { sudoUser: input.operator.sudoUser } : {}), host: input.operator.host },
    createdAt: input.createdAt,
    tool: input.tool,
    clock: {
      source: clockSource(input.clips),
      offsetSeconds: input.request.clockOffsetSeconds ?? null,
      note:
        input.request.clockOffsetSeconds === undefined
          ? "Times are the recorder's clock; its offset from true time was not measured at the export."
          : `The recorder's clock was ${Math.abs(input.request.clockOffsetSeconds)} s ${input.request.clockOffsetSeconds >= 0 ? 'ahead of' : 'behind'} true time when measured at the export; times are the recorder's.`,
    },
    hold: input.hold ? { id: input.hold.id } : null,
    keepUntil: input.keepUntil === undefined ? null : iso(input.keepUntil),
    signature: { algorithm: 'Ed25519', file: SIGNATURE_FILE, publicKey: PUBLIC_KEY_FILE, fingerprint: input.key.fingerprint },
    files: [],
  };
}

export interface FinishInput {
  workDir: string;
  manifest: Manifest;
  key: SigningKey;
  language: Language;
  layouts: CustodyContext['layouts'];
  recipients: string[];
  school: { name: string };
  onEncrypted?: (done: number, total: number) => void;
}

export interface FinishedPackage {
  manifestSha256: string;
  /** Bytes of everything in the package folder. */
  bytes: number;
}

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export async function finishPackage(input: FinishInput): Promise<FinishedPackage> {
  const { workDir, manifest } = input;
  const write = (name: string, data: string | Buffer): Promise<void> => writeFile(path.join(workDir, name), data, { flag: 'wx', mode: 0o640 });
  const files: ManifestFile[] = manifest.clips.flatMap((c): ManifestFile[] => [
    { path: c.output.file, sha256: c.output.sha256, bytes: c.output.bytes, role: 'master-clip' },
    ...(c.redacted
      ? [
          { path: c.redacted.file, sha256: c.redacted.sha256, bytes: c.redacted.bytes, role: 'redacted-clip' },
          { path: c.redacted.planFile, sha256: c.redacted.planSha256, bytes: 0, role: 'redaction-plan' },
        ]
      : []),
  ]);
  // The plan's size is that of the file written beside the clip (its hash is over the same bytes).
  for (const f of files) if (f.role === 'redaction-plan') f.bytes = (await stat(path.join(workDir, f.path))).size;
  await write(PUBLIC_KEY_FILE, input.key.publicKeyPem);
  files.push({ path: PUBLIC_KEY_FILE, sha256: sha(input.key.publicKeyPem), bytes: Buffer.byteLength(input.key.publicKeyPem), role: 'public-key' });
  const custodyName = CUSTODY_FILE[input.language];
  const custody = renderCustodyRecord(manifest, input.language, { layouts: input.layouts, files: [...files.map((f) => f.path), custodyName] });
  await write(custodyName, custody);
  files.push({ path: custodyName, sha256: sha(custody), bytes: Buffer.byteLength(custody), role: 'custody-record' });
  manifest.files = files;

  const manifestBytes = serializeManifest(manifest);
  const signature = signBytes(manifestBytes, input.key);
  await write(MANIFEST_FILE, manifestBytes);
  await write(SIGNATURE_FILE, signature);
  const sums = [...files.map((f) => ({ path: f.path, sha256: f.sha256 })), { path: MANIFEST_FILE, sha256: sha(manifestBytes) }, { path: SIGNATURE_FILE, sha256: sha(signature) }].sort((a, b) => (a.path < b.path ? -1 : 1));
  await write(SUMS_FILE, sumsText(sums));
  const manifestSha256 = sha(manifestBytes);

  if (input.recipients.length) {
    const names = [...sums.map((s) => s.path), SUMS_FILE];
    const total = (await Promise.all(names.map((n) => stat(path.join(workDir, n))))).reduce((sum, st) => sum + st.size, 0);
    const archive = `${manifest.exportId}.tar.age`;
    let done = 0;
    await encryptFiles(workDir, names, path.join(workDir, archive), input.recipients, Date.parse(manifest.createdAt), (n) => input.onEncrypted?.((done += n), total));
    // Nothing readable stays beside the archive.
    for (const name of names) await rm(path.join(workDir, name));
    const readmeName = ENCRYPTED_README[input.language];
    const readme = renderEncryptedReadme(input.language, { exportId: manifest.exportId, school: input.school, recipients: input.recipients, archive });
    await write(readmeName, readme);
    const archiveHash = await sha256File(path.join(workDir, archive));
    await write(SUMS_FILE, sumsText([{ path: archive, sha256: archiveHash.sha256 }, { path: readmeName, sha256: sha(readme) }].sort((a, b) => (a.path < b.path ? -1 : 1))));
  }
  let bytes = 0;
  for (const name of await readdir(workDir)) bytes += (await stat(path.join(workDir, name))).size;
  return { manifestSha256, bytes };
}
