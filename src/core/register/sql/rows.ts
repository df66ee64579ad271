// Rows as both backends store them, and how they become the register's records. JSON columns hold canonical text.
import { canonicalJson } from '../chain.js';
import type { Actor, AuditEntry, DocumentVersion, ExportRecord, ExportStatus, Hold, HoldKind, RightsChanges, RightsOutcome, RightsRelation, RightsRequest, RightsState, RightsType } from '../types.js';

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

export interface RightsRow {
  id: string;
  type: string;
  state: string;
  requester: string;
  relation: string;
  subject: string;
  subject_birthdate: string | null;
  cameras: string;
  range_from: number | null;
  range_to: number | null;
  description: string | null;
  received_on: string;
  due_on: string;
  extended_due_on: string | null;
  extension_reason: string | null;
  extended_at: string | null;
  hold_id: string | null;
  restriction_hold_id: string | null;
  identity_method: string | null;
  identity_checked_at: string | null;
  identity_checked_by: string | null;
  fulfilment: string | null;
  fulfilled_at: string | null;
  outcome: string | null;
  outcome_reason: string | null;
  answered_at: string | null;
  closed_at: string | null;
  created_at: string;
  created_by: string;
}

export function toRights(row: RightsRow): RightsRequest {
  const opt = <K extends string, V>(key: K, value: V | null): Partial<Record<K, V>> => (value === null ? {} : ({ [key]: value } as Record<K, V>));
  return {
    id: row.id,
    type: row.type as RightsType,
    state: row.state as RightsState,
    requester: row.requester,
    relation: row.relation as RightsRelation,
    subject: row.subject,
    ...opt('subjectBirthdate', row.subject_birthdate),
    cameras: JSON.parse(row.cameras) as string[],
    ...opt('from', row.range_from === null ? null : Number(row.range_from)),
    ...opt('to', row.range_to === null ? null : Number(row.range_to)),
    ...opt('description', row.description),
    receivedOn: row.received_on,
    dueOn: row.due_on,
    ...opt('extendedDueOn', row.extended_due_on),
    ...opt('extensionReason', row.extension_reason),
    ...opt('extendedAt', row.extended_at),
    ...opt('holdId', row.hold_id),
    ...opt('restrictionHoldId', row.restriction_hold_id),
    ...opt('identityMethod', row.identity_method),
    ...opt('identityCheckedAt', row.identity_checked_at),
    ...(row.identity_checked_by !== null ? { identityCheckedBy: JSON.parse(row.identity_checked_by) as Actor } : {}),
    ...(row.fulfilment !== null ? { fulfilment: JSON.parse(row.fulfilment) as Record<string, unknown> } : {}),
    ...opt('fulfilledAt', row.fulfilled_at),
    ...opt('outcome', row.outcome as RightsOutcome | null),
    ...opt('outcomeReason', row.outcome_reason),
    ...opt('answeredAt', row.answered_at),
    ...opt('closedAt', row.closed_at),
    createdAt: row.created_at,
    createdBy: JSON.parse(row.created_by) as Actor,
  };
}

/** Columns of rights_requests a step may set, and how each value is stored. */
export const RIGHTS_COLUMNS: Record<keyof RightsChanges, [column: string, store: (v: unknown) => unknown]> = {
  state: ['state', String],
  extendedDueOn: ['extended_due_on', String],
  extensionReason: ['extension_reason', String],
  extendedAt: ['extended_at', String],
  identityMethod: ['identity_method', String],
  identityCheckedAt: ['identity_checked_at', String],
  identityCheckedBy: ['identity_checked_by', (v) => canonicalJson(v)],
  fulfilment: ['fulfilment', (v) => canonicalJson(v)],
  fulfilledAt: ['fulfilled_at', String],
  outcome: ['outcome', String],
  outcomeReason: ['outcome_reason', String],
  answeredAt: ['answered_at', String],
  closedAt: ['closed_at', String],
  restrictionHoldId: ['restriction_hold_id', String],
};
