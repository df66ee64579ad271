// Rows as both backends store them, and how they become the register's records. JSON columns hold canonical text.
import type { Actor, AuditEntry, DocumentVersion, ExportRecord, ExportStatus, Hold, HoldKind } from '../types.js';

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface HoldRow {
  id: string;
  kind: string;
  case_ref: string;
  reason: string;
  range_from: number;
  range_to: number;
  created_at: string;
  created_by: string;
  released_at: string | null;
  released_by: string | null;
  release_reason: string | null;
}

export interface BatchRow {
  id: number;
  run_id: number;
  storage: string;
  dir: string;
  camera: string;
  names: string;
  bytes: number;
  state: string;
  done_at: string | null;
}

export interface DocumentVersionRow {
  id: number;
  document: string;
  version: number;
  inputs_hash: string;
  inputs: string;
  status: string;
  created_at: string;
  created_by: string;
}

export interface ExportRow {
  id: string;
  status: string;
  created_at: string;
  created_by: string;
  pid: number;
  host: string;
  case_ref: string | null;
  reason: string | null;
  cameras: string;
  range_from: number;
  range_to: number;
  out_dir: string;
  package_dir: string;
  work_dir: string;
  encrypted: number;
  manifest_sha256: string | null;
  bytes: number | null;
  keep_until: number | null;
  hold_id: string | null;
  finished_at: string | null;
  purged_at: string | null;
  note: string | null;
}

export function toAudit(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: JSON.parse(row.actor) as Actor,
    action: row.action,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export function toHold(row: HoldRow, cameras: string[]): Hold {
  return {
    id: row.id,
    kind: row.kind as HoldKind,
    caseRef: row.case_ref,
    reason: row.reason,
    cameras: [...cameras].sort(),
    from: row.range_from,
    to: row.range_to,
    createdAt: row.created_at,
    createdBy: JSON.parse(row.created_by) as Actor,
    ...(row.released_at ? { releasedAt: row.released_at } : {}),
    ...(row.released_by ? { releasedBy: JSON.parse(row.released_by) as Actor } : {}),
    ...(row.release_reason ? { releaseReason: row.release_reason } : {}),
  };
}

export function toExport(row: ExportRow): ExportRecord {
  return {
    id: row.id,
    status: row.status as ExportStatus,
    createdAt: row.created_at,
    createdBy: JSON.parse(row.created_by) as Actor,
    pid: row.pid,
    ...(row.case_ref !== null ? { caseRef: row.case_ref } : {}),
    ...(row.reason !== null ? { reason: row.reason } : {}),
    cameras: JSON.parse(row.cameras) as string[],
    from: row.range_from,
    to: row.range_to,
    outDir: row.out_dir,
    packageDir: row.package_dir,
    workDir: row.work_dir,
    encrypted: row.encrypted === 1,
    ...(row.manifest_sha256 !== null ? { manifestSha256: row.manifest_sha256 } : {}),
    ...(row.bytes !== null ? { bytes: row.bytes } : {}),
    ...(row.keep_until !== null ? { keepUntil: row.keep_until } : {}),
    ...(row.hold_id !== null ? { holdId: row.hold_id } : {}),
    ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
    ...(row.purged_at !== null ? { purgedAt: row.purged_at } : {}),
    ...(row.note !== null ? { note: row.note } : {}),
  };
}

export type { DocumentVersion };
