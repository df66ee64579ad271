// What a storage knows of the register that purges it, kept with the footage (records.ts): the register marker (the
// register's id and the newest anchor of its audit chain) and one hold record per hold (its content and whether it
// was released), each hold record signed with the school's key. They let a purge recognise a register that is not the
// storage's own, and keep held footage when the register lost a hold.
import type { FootageStore } from './types.js';

export const MARKER_RECORD = 'register.json';
export const HOLDS_FOLDER = 'holds';

/** The head of the audit chain (entry number and hash) as it was when written here. */
export interface ChainAnchor {
  seq: number;
  hash: string;
  at: string;
  /** What wrote it: purge, hold, export, recover, restore. */
  by: string;
}

export interface RegisterMarker {
  format: 1;
  registerId: string;
  /** When this storage was first marked for the register. */
  markedAt: string;
  anchor?: ChainAnchor;
}

/** A hold as kept beside the footage: enough to keep its footage, and to rebuild it in a new register. */
export interface HoldRecord {
  holdId: string;
  kind: string;
  case: string;
  reason: string;
  cameras: string[];
  /** ISO 8601 UTC. */
  from: string;
  to: string;
  createdAt: string;
  registerId: string;
  released?: { at: string; reason: string };
}

/** The file as stored: the record's exact JSON text and its Ed25519 signature over those bytes. */
export interface SignedRecordFile {
  payload: string;
  /** Base64; absent when the school had no signing key to hand. */
  signature?: string;
  fingerprint?: string;
}

export type RecordSignature = 'valid' | 'unsigned' | 'invalid';

export interface ReadHoldRecord {
  record: HoldRecord;
  signature: RecordSignature;
  fingerprint?: string;
}

function records(store: FootageStore): NonNullable<FootageStore['records']> {
  if (!store.records) throw new Error(`storage ${store.id} keeps no records`);
  return store.records;
}

/** The storage's marker; undefined when it has none. A marker that cannot be read as one is an error. */
export async function readMarker(store: FootageStore): Promise<RegisterMarker | undefined> {
  const text = await records(store).read(MARKER_RECORD);
  if (text === undefined) return undefined;
  let marker: RegisterMarker;
  try {
    marker = JSON.parse(text) as RegisterMarker;
  } catch {
    throw new Error(`its register marker (.toezicht/${MARKER_RECORD}) is not JSON`);
  }
  if (typeof marker.registerId !== 'string' || !marker.registerId) throw new Error(`its register marker (.toezicht/${MARKER_RECORD}) names no register`);
  return marker;
}

export async function writeMarker(store: FootageStore, marker: RegisterMarker): Promise<void> {
  await records(store).write(MARKER_RECORD, `${JSON.stringify(marker, null, 2)}\n`);
}

const recordName = (holdId: string): string => `${HOLDS_FOLDER}/${holdId.toUpperCase().replace(/[^A-Z0-9-]/g, '_')}.json`;

export async function writeHoldRecord(store: FootageStore, record: HoldRecord, sign?: (payload: Buffer) => { signature: string; fingerprint: string }): Promise<void> {
  const payload = JSON.stringify(record);
  const file: SignedRecordFile = { payload, ...(sign ? sign(Buffer.from(payload)) : {}) };
  await records(store).write(recordName(record.holdId), `${JSON.stringify(file, null, 2)}\n`);
}

/**
 * Every hold record of the storage, with whether its signature checks against one of `publicKeys`. A file that cannot
 * be read as a hold record is returned in `unreadable` (reported, never taken to release anything).
 */
export async function readHoldRecords(
  store: FootageStore,
  verify: (payload: Buffer, signature: Buffer) => boolean,
): Promise<{ records: ReadHoldRecord[]; unreadable: string[] }> {
  const out: ReadHoldRecord[] = [];
  const unreadable: string[] = [];
  for (const name of await records(store).list(HOLDS_FOLDER)) {
    const text = await records(store).read(`${HOLDS_FOLDER}/${name}`);
    if (text === undefined) continue;
    try {
      const file = JSON.parse(text) as SignedRecordFile;
      const record = JSON.parse(file.payload) as HoldRecord;
      if (typeof record.holdId !== 'string' || !Array.isArray(record.cameras) || Number.isNaN(Date.parse(record.from)) || Number.isNaN(Date.parse(record.to))) throw new Error('not a hold record');
      const signature: RecordSignature = !file.signature ? 'unsigned' : verify(Buffer.from(file.payload), Buffer.from(file.signature, 'base64')) ? 'valid' : 'invalid';
      out.push({ record, signature, ...(file.fingerprint ? { fingerprint: file.fingerprint } : {}) });
    } catch {
      unreadable.push(`.toezicht/${HOLDS_FOLDER}/${name}`);
    }
  }
  return { records: out, unreadable };
}
