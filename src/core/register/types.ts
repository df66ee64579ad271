// What the register keeps, independent of the database behind it (SQLite embedded, PostgreSQL for a board).

/** Who did something: the OS user (and the user behind sudo), on which host. */
export interface Actor {
  user: string;
  host: string;
  sudoUser?: string;
}

export interface AuditEntry {
  seq: number;
  /** ISO 8601 UTC with milliseconds. */
  at: string;
  actor: Actor;
  action: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** The first entry that does not check out, and why. */
  broken?: { seq: number; problem: string };
  /** Purge runs whose deletion records no longer match the digest in their audit entry. */
  tamperedRuns: { runId: number; seq: number }[];
  /** Holds whose row in the holds table no longer matches what the audit chain recorded of them. */
  tamperedHolds: HoldTampering[];
}

/** A hold whose row disagrees with its audit entries (released, range shrunk, cameras removed, deleted, or made up). */
export interface HoldTampering {
  holdId: string;
  /** The audit entry the table should agree with. */
  seq?: number;
  problem: string;
}

/** The last entry of the audit chain: what is anchored outside the register. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** A hold as rebuilt from a storage's hold record (`register recover`): its id and dates are kept. */
export interface RecoveredHold extends Pick<Hold, 'id' | 'kind' | 'caseRef' | 'reason' | 'cameras' | 'from' | 'to' | 'createdAt'> {
  released?: { at: string; reason: string };
  /** Where it was found (storage ids). */
  foundIn: string[];
}

export type HoldKind = 'case' | 'request' | 'restriction';

export interface Hold {
  id: string;
  kind: HoldKind;
  caseRef: string;
  reason: string;
  cameras: string[];
  /** The held range, ms since the epoch; a segment that touches it is kept. */
  from: number;
  to: number;
  createdAt: string;
  createdBy: Actor;
  releasedAt?: string;
  releasedBy?: Actor;
  releaseReason?: string;
}

export interface NewHold {
  kind?: HoldKind;
  caseRef: string;
  reason: string;
  cameras: string[];
  from: number;
  to: number;
  /** A board's schools whose cameras these are (for the audit entry). */
  schools?: string[];
}

export interface PurgeRunInfo {
  now: number;
  options: Record<string, unknown>;
}

/** One directory's worth of segments a purge is about to delete (or did). */
export interface PurgeBatch {
  storage: string;
  /** Folder relative to the storage root, "/"-separated ("" for the root). */
  dir: string;
  camera: string;
  names: string[];
  bytes: number;
  firstStart: number;
  lastEnd: number;
}

export interface RunSummary {
  status: 'done' | 'failed' | 'interrupted';
  counts: Record<string, unknown>;
}

export interface InterruptedRun {
  runId: number;
  startedAt: string;
  /** Files the dead run had deleted, now recorded as such. */
  deleted: number;
  /** Files it had planned but not deleted; the new run decides them again. */
  left: number;
}

export interface StorageState {
  storage: string;
  files: number;
  seenAt: string;
  runId: number;
}

export interface DeletionRecord {
  runId: number;
  storage: string;
  path: string;
  deletedAt: string;
  camera: string;
}

export interface PurgeLock {
  release(): void;
}

/** One version of a generated document: what it was made from (its inputs and their hash), and when. */
export interface DocumentVersion {
  document: string;
  version: number;
  inputsHash: string;
  inputs: Record<string, unknown>;
  status: string;
  createdAt: string;
  createdBy: Actor;
  /** The Markdown text per language rendered for this version. */
  texts: Record<string, string>;
  renders: DocumentRender[];
}

export interface DocumentRender {
  lang: string;
  format: string;
  file: string;
  sha256: string;
  renderedAt: string;
  renderedBy: string;
}

export interface NewDocumentVersion {
  document: string;
  inputsHash: string;
  inputs: Record<string, unknown>;
  status: string;
}

/**
 * running → done (a package) or review (a redaction review: plans and contact sheets, no footage handed out), or
 * failed / interrupted; done and review → purged at the end of their lifetime.
 */
export type ExportStatus = 'running' | 'done' | 'review' | 'failed' | 'interrupted' | 'purged';

/** An evidence package: who made it, of what, where it is, and how long it may exist. */
export interface ExportRecord {
  id: string;
  status: ExportStatus;
  createdAt: string;
  createdBy: Actor;
  /** The process that writes it (to tell a dead run from a running one). */
  pid: number;
  caseRef?: string;
  reason?: string;
  cameras: string[];
  /** The requested range, ms since the epoch. */
  from: number;
  to: number;
  outDir: string;
  packageDir: string;
  /** Where the package is written before it is renamed into place. */
  workDir: string;
  encrypted: boolean;
  manifestSha256?: string;
  bytes?: number;
  /** Removed after this instant (ms), unless its case is still held. Undefined: it goes with its hold. */
  keepUntil?: number;
  holdId?: string;
  finishedAt?: string;
  purgedAt?: string;
  note?: string;
}

export interface NewExport {
  caseRef?: string;
  reason?: string;
  cameras: string[];
  from: number;
  to: number;
  outDir: string;
  /** Package and work folder from the id the register assigns. */
  paths: (id: string) => { packageDir: string; workDir: string };
  encrypted: boolean;
}

export interface ExportCompletion {
  manifestSha256: string;
  bytes: number;
  keepUntil?: number;
  /** The hold placed on its footage, if any. */
  holdId?: string;
  /** The audit entry's details (export.create). */
  audit: Record<string, unknown>;
}

/** An S3 Object Lock legal hold on one object version, as a hold recorded it. */
export interface LegalHoldRecord {
  holdId: string;
  storage: string;
  relPath: string;
  versionId: string;
  /** True: toezicht put the legal hold on for this hold (and lifts it on release); false: it was on already. */
  placed: boolean;
  liftedAt?: string;
}

export const RIGHTS_TYPES = ['access', 'copy', 'rectification', 'erasure', 'restriction', 'objection'] as const;
/** AVG arts. 15 (access, copy), 16 (rectification), 17 (erasure), 18 (restriction), 21 (objection). */
export type RightsType = (typeof RIGHTS_TYPES)[number];
export const RIGHTS_RELATIONS = ['self', 'parent', 'guardian', 'staff', 'other'] as const;
/** Who asks, relative to the person on the footage. */
export type RightsRelation = (typeof RIGHTS_RELATIONS)[number];
export const RIGHTS_OUTCOMES = ['granted', 'partial', 'refused', 'no-data'] as const;
export type RightsOutcome = (typeof RIGHTS_OUTCOMES)[number];
/** received → identity-checked → fulfilled → closed (answered, hold released). */
export type RightsState = 'received' | 'identity-checked' | 'fulfilled' | 'closed';

/** A data-subject request on footage, as the register keeps it. */
export interface RightsRequest {
  id: string;
  type: RightsType;
  state: RightsState;
  requester: string;
  relation: RightsRelation;
  subject: string;
  /** YYYY-MM-DD. */
  subjectBirthdate?: string;
  cameras: string[];
  /** The window asked about, ms since the epoch. */
  from?: number;
  to?: number;
  description?: string;
  /** Calendar dates (YYYY-MM-DD, school time). */
  receivedOn: string;
  dueOn: string;
  extendedDueOn?: string;
  extensionReason?: string;
  extendedAt?: string;
  /** The preservation hold placed at receipt (kind request). */
  holdId?: string;
  /** The hold that restricts the footage (kind restriction), placed by fulfilling a restriction request. */
  restrictionHoldId?: string;
  identityMethod?: string;
  identityCheckedAt?: string;
  identityCheckedBy?: Actor;
  /** What was done (export, viewing, erasure, restriction, decision), as the rights area recorded it. */
  fulfilment?: Record<string, unknown>;
  fulfilledAt?: string;
  outcome?: RightsOutcome;
  outcomeReason?: string;
  answeredAt?: string;
  closedAt?: string;
  createdAt: string;
  createdBy: Actor;
}

export interface NewRightsRequest
  extends Pick<RightsRequest, 'type' | 'requester' | 'relation' | 'subject' | 'subjectBirthdate' | 'cameras' | 'from' | 'to' | 'description' | 'receivedOn' | 'dueOn'> {
  /** The preservation hold, placed in the same transaction (its case is the request's id). */
  hold?: { reason: string; cameras: string[]; from: number; to: number };
  /** Details of the rights.request audit entry (the id is added). */
  audit: Record<string, unknown>;
}

/** Columns a step may set; undefined leaves a column as it is. */
export interface RightsChanges {
  state?: RightsState;
  extendedDueOn?: string;
  extensionReason?: string;
  extendedAt?: string;
  identityMethod?: string;
  identityCheckedAt?: string;
  identityCheckedBy?: Actor;
  fulfilment?: Record<string, unknown>;
  fulfilledAt?: string;
  outcome?: RightsOutcome;
  outcomeReason?: string;
  answeredAt?: string;
  closedAt?: string;
  restrictionHoldId?: string;
}

/** One step of a request: its changes, an audit entry, and a hold placed or released, in one transaction. */
export interface RightsStep {
  action: string;
  details: Record<string, unknown>;
  set?: RightsChanges;
  /** Refuse (nothing changed) unless the request is in one of these states. */
  expectStates?: RightsState[];
  addHold?: { kind: HoldKind; reason: string; cameras: string[]; from: number; to: number };
  releaseHold?: { id: string; reason: string };
}

/** Purge-run deletions of a camera's footage that touch a range (what the 4-week rule, or an erasure, removed). */
export interface RangeDeletion {
  runId: number;
  /** The run's options (an erasure names its request). */
  runOptions: Record<string, unknown>;
  storage: string;
  camera: string;
  files: number;
  /** Bytes the batch deleted (0 for a batch settled after its run was killed: sizes died with it). */
  bytes: number;
  firstStart: number;
  lastEnd: number;
  deletedAt: string;
}

/** The register: holds, purge runs and their deletion records, and the audit chain. */
export interface Register {
  /** Where it lives (file path or URL without password). */
  readonly location: string;
  readonly actor: Actor;

  appendAudit(action: string, details: Record<string, unknown>): Promise<AuditEntry>;
  /** The register's random id (made at init), recorded by every storage it purges. */
  registerId(): Promise<string>;
  /** The file's or database's own check (SQLite PRAGMA quick_check; PostgreSQL the schema version): a problem, or undefined. */
  integrityCheck(): Promise<string | undefined>;
  /** The chain's last entry as the register recorded it. */
  auditHead(): Promise<ChainHead>;
  /** One entry of the chain. */
  auditEntry(seq: number): Promise<AuditEntry | undefined>;
  /** Compares the holds table with the holds rebuilt from the audit chain. */
  checkHoldsAgainstChain(): Promise<HoldTampering[]>;
  /** Adds a hold found in a storage's hold records with its own id (`register recover`); audited as hold.add. */
  importHold(hold: RecoveredHold): Promise<Hold>;
  auditEntries(options?: { sinceMs?: number; action?: string; limit?: number }): Promise<AuditEntry[]>;
  verifyAudit(): Promise<AuditVerification>;

  addHold(hold: NewHold): Promise<Hold>;
  getHold(id: string): Promise<Hold | undefined>;
  listHolds(options?: { includeReleased?: boolean }): Promise<Hold[]>;
  releaseHold(id: string, reason: string): Promise<Hold>;
  /** A number that changes whenever a hold is added or released; cheap to poll. */
  holdsVersion(): Promise<number>;
  /** Records the S3 legal holds a hold placed (or found already on) in one storage; audited. */
  recordLegalHolds(holdId: string, storage: string, versions: { relPath: string; versionId: string; placed: boolean }[]): Promise<void>;
  /** The legal holds recorded for a hold (all of them), or for one object version by any hold. */
  legalHolds(filter: { holdId: string } | { storage: string; relPath: string; versionId: string }): Promise<LegalHoldRecord[]>;
  /**
   * Records the legal holds a released hold lifted, and those it left on because another active hold recorded
   * the same version (that hold now owns them); audited.
   */
  recordLegalHoldsLifted(holdId: string, storage: string, lifted: { relPath: string; versionId: string }[], handedOver: { relPath: string; versionId: string; toHold: string }[]): Promise<void>;

  /** Takes the one-purge-at-a-time lock, or throws BusyError naming the run that holds it. */
  acquirePurgeLock(): Promise<PurgeLock>;
  /** Settles runs that died mid-way; `gone` says whether a planned file no longer exists. Needs the lock. */
  settleInterruptedRuns(gone: (storage: string, relPath: string) => Promise<boolean>): Promise<InterruptedRun[]>;
  beginPurgeRun(info: PurgeRunInfo): Promise<number>;
  /**
   * Records a batch before its files are deleted (write-ahead), in one transaction with a check that the
   * holds are still at `holdsVersion`; returns undefined when they changed, so the caller decides again.
   */
  planBatch(runId: number, batch: PurgeBatch, holdsVersion: number): Promise<number | undefined>;
  /** Records which of the batch's files are gone, once deleted. */
  completeBatch(batchId: number, deleted: string[], bytes: number): Promise<void>;
  finishPurgeRun(runId: number, summary: RunSummary): Promise<AuditEntry>;
  storageState(storage: string): Promise<StorageState | undefined>;
  setStorageState(state: StorageState): Promise<void>;
  /** Which run deleted this file, if any did. */
  findDeletion(storage: string, relPath: string): Promise<DeletionRecord | undefined>;

  /**
   * The version of a document with these inputs: the latest one when its inputs hash is the same, else a new
   * version (numbered on from the latest, with an audit entry in the same transaction).
   */
  documentVersionFor(input: NewDocumentVersion): Promise<{ version: DocumentVersion; created: boolean }>;
  /** Records a rendered file of a version, and its Markdown text for that language. */
  recordDocumentRender(document: string, version: number, render: Omit<DocumentRender, 'renderedAt' | 'renderedBy'> & { markdown: string }): Promise<void>;
  /** Every version of a document, oldest first. */
  documentVersions(document: string): Promise<DocumentVersion[]>;
  documentVersion(document: string, version: number): Promise<DocumentVersion | undefined>;

  /** Registers an export that is about to be written, with a new id (E-2026-0001); status running. */
  beginExport(info: NewExport): Promise<ExportRecord>;
  /** Records a written package and its audit entry (export.create) in one transaction. */
  completeExport(id: string, done: ExportCompletion): Promise<{ record: ExportRecord; entry: AuditEntry }>;
  /**
   * Records a written redaction review (`footage export --redact --plan-only`: plans and contact sheets for an
   * operator, nothing handed out) and its audit entry (export.review, not a disclosure) in one transaction. Its
   * folder has the lifetime of a package; `manifestSha256` is the hash of its review.json.
   */
  completeReview(id: string, done: ExportCompletion): Promise<{ record: ExportRecord; entry: AuditEntry }>;
  /** An export that did not finish: failed (an error) or interrupted (killed); audited. */
  abandonExport(id: string, status: 'failed' | 'interrupted', note: string): Promise<ExportRecord>;
  /** A package removed after its lifetime (or found gone); audited. */
  markExportPurged(id: string, details: Record<string, unknown>): Promise<AuditEntry>;
  getExport(id: string): Promise<ExportRecord | undefined>;
  listExports(options?: { statuses?: ExportStatus[] }): Promise<ExportRecord[]>;

  /** Registers a request with a new id (R-<year of receipt>-0001), its hold and its audit entries, in one transaction. */
  addRightsRequest(input: NewRightsRequest): Promise<{ request: RightsRequest; hold?: Hold; entry: AuditEntry }>;
  getRightsRequest(id: string): Promise<RightsRequest | undefined>;
  /** Every request (or only those not closed), oldest receipt first. */
  listRightsRequests(options?: { open?: boolean }): Promise<RightsRequest[]>;
  /** Records a step of a request (changes, hold, audit entry) in one transaction. */
  recordRightsStep(id: string, step: RightsStep): Promise<{ request: RightsRequest; entry: AuditEntry; hold?: Hold }>;
  /** Links an audit entry written elsewhere (an export, an erasure run) to a request's history. */
  linkRightsEntry(id: string, seq: number): Promise<void>;
  /** The audit entries of a request, in order. */
  rightsHistory(id: string): Promise<AuditEntry[]>;
  /** What purge runs deleted of a camera's footage in a range. */
  deletionsInRange(camera: string, from: number, to: number): Promise<RangeDeletion[]>;

  /** Closes the register (an embedded one at once; a server connection when the promise settles). */
  close(): Promise<void>;
}
