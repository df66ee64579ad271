// The manifest of an evidence package: what was asked, what the clips cover, where every frame came from, and the
// hash of every file in the package. It is signed as written (its exact bytes), so no canonical form is needed to
// check it; receivers read it with any JSON reader.
//
// A package may hold more than the native master clips: a redacted working copy made next to a master (and the plan
// it was rendered from) is listed in `files` with its own role and described under its clip (`clips[].redacted`), so
// `footage verify` and `sha256sum -c` cover it without change.

export const MANIFEST_FORMAT = 'toezicht-evidence/1';
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.json.sig';
export const PUBLIC_KEY_FILE = 'public-key.pem';
export const SUMS_FILE = 'SHA256SUMS';

export interface ManifestRange {
  from: string;
  to: string;
}

export interface ManifestSource {
  camera: string;
  storage: string;
  /** Path inside the storage, as the layout names it. */
  path: string;
  /** Object storage: the bucket, the object's full key, and the version read (when the bucket keeps versions). */
  bucket?: string;
  key?: string;
  versionId?: string;
  sha256: string;
  bytes: number;
  /** The segment's own span on the recorder's clock. */
  start: string;
  end: string;
  /** The part of it that is in the clip. */
  used: ManifestRange;
}

export interface ManifestGap extends ManifestRange {
  camera: string;
  seconds: number;
  reason: 'no-footage' | 'corrupt';
  /** Damaged segments left out (with --on-corrupt skip). */
  segments?: string[];
}

export interface ManifestOutput {
  file: string;
  sha256: string;
  bytes: number;
  durationSeconds: number;
  frames: number;
  codec: string;
  width?: number;
  height?: number;
  audio: boolean;
  /** The clip's creation_time: its first frame on the recorder's clock. */
  creationTime: string;
  /**
   * What joined the frames, byte for byte: toezicht's own MP4 writer, or ffmpeg (other containers, changed encoder
   * settings, audio kept). Absent in packages made before toezicht wrote clips itself.
   */
  writer?: 'toezicht' | 'ffmpeg';
}

/**
 * A redacted working copy of a clip (`footage export --redact`): made from the master by decoding, making the
 * planned regions unrecognisable and re-encoding. Not the master: that stays beside it, unchanged (LEGAL §5).
 */
export interface ManifestRedacted {
  /** `<camera>_<start>.redacted.mp4`, beside the master. */
  file: string;
  sha256: string;
  bytes: number;
  /** The master it was made from (its file and SHA-256). */
  master: { file: string; sha256: string };
  frames: number;
  durationSeconds: number;
  width: number;
  height: number;
  /** Frame rate as a fraction, e.g. "25/1" (the master's). */
  fps: string;
  codec: 'h264';
  /** x264 settings. */
  encoder: string;
  audio: boolean;
  /** pixelate: a mosaic of blocks at least 1/8 of the region's height; fill: solid black. Static masks are always filled. */
  style: 'pixelate' | 'fill';
  /** What the detector looked for. */
  what: ('face' | 'person')[];
  /** The plan that was rendered, in the package beside the clip. */
  planFile: string;
  planSha256: string;
  /** made: planned by this export; reviewed: given with --plan (reviewed, possibly edited, by the operator). */
  planSource: 'made' | 'reviewed';
  tracks: number;
  /** Tracks left visible (--keep-track), by id in the plan. */
  keptTracks: string[];
  redactedTracks: number;
  /** Static privacy masks (config cameras[].masks, always applied). */
  masks: number;
  /** The detection models, each with its npm package, version, licence and the SHA-256 of its weights. */
  models: { name: string; package: string; packageVersion: string; licence: string; sha256: string }[];
  runtime: string;
  detectEvery: number;
}

export interface ManifestClip {
  camera: string;
  name?: string;
  location?: string;
  /** The camera's school, in a board's config (schools[].id). */
  school?: string;
  requested: ManifestRange;
  covered: ManifestRange;
  gaps: ManifestGap[];
  sources: ManifestSource[];
  output: ManifestOutput;
  /** Things the receiver should know: overlapping segments, repeated parameter sets, ffmpeg warnings. */
  notes: string[];
  /** The redacted working copy of this clip (with --redact). */
  redacted?: ManifestRedacted;
}

export type FileRole = 'master-clip' | 'redacted-clip' | 'redaction-plan' | 'custody-record' | 'public-key' | (string & {});

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
  role: FileRole;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  exportId: string;
  case: string | null;
  reason: string | null;
  legalBasis: string | null;
  recipient: string | null;
  school: { name: string; board?: string };
  /** The camera of a one-camera export; null when the package holds several (see clips). */
  camera: string | null;
  cameras: string[];
  requested: ManifestRange;
  /** From the first frame of the earliest clip to the end of the latest. */
  covered: ManifestRange;
  timezone: string;
  gaps: ManifestGap[];
  sources: ManifestSource[];
  /** The clip of a one-camera export; null when there are several (see clips). */
  output: ManifestOutput | null;
  clips: ManifestClip[];
  /** The redacted copy of a one-camera export (with --redact); null with several (see clips[].redacted). */
  redacted?: ManifestRedacted | null;
  operator: { user: string; sudoUser?: string; host: string };
  createdAt: string;
  /** What made the package; ffmpeg only when it made a clip or a redacted copy in it. */
  tool: { name: string; version: string; node: string; ffmpeg?: { path: string; source: string; version: string } };
  clock: {
    /** Where the times come from. */
    source: string;
    /** Difference recorder clock − true time, in seconds, when the operator measured it; null when not measured. */
    offsetSeconds: number | null;
    note: string;
  };
  hold: { id: string } | null;
  /** After this the package is removed (unless its case is still held); null: it goes when its hold is released. */
  keepUntil: string | null;
  signature: { algorithm: 'Ed25519'; file: typeof SIGNATURE_FILE; publicKey: typeof PUBLIC_KEY_FILE; fingerprint: string };
  files: ManifestFile[];
}

export function serializeManifest(manifest: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

/** `<camera>_<YYYYMMDDTHHMMSSZ>.mp4`: camera and true start of the clip, in UTC. */
export function clipFileName(camera: string, startMs: number): string {
  const iso = new Date(Math.floor(startMs / 1000) * 1000).toISOString();
  return `${camera}_${iso.replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}.mp4`;
}

/** `<camera>_<start>.<kind>` beside the master clip `<camera>_<start>.mp4`. */
export function besideClip(clipFile: string, kind: 'redacted.mp4' | 'redaction-plan.json' | 'contact-sheet.png'): string {
  return `${clipFile.replace(/\.mp4$/, '')}.${kind}`;
}

/** The lines of a SHA256SUMS file (`sha256sum -c` reads it). */
export function sumsText(files: { path: string; sha256: string }[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}

export function parseSums(text: string): { path: string; sha256: string }[] | undefined {
  const out: { path: string; sha256: string }[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) return undefined;
    out.push({ sha256: m[1]!, path: m[2]! });
  }
  return out;
}
