// The audit chain: each entry's hash covers its own fields and the previous entry's hash, so an edited,
// deleted or reordered row breaks every hash after it. Shared by every register backend.
import { createHash } from 'node:crypto';
import type { Actor } from './types.js';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface ChainFields {
  seq: number;
  at: string;
  actor: Actor;
  action: string;
  details: Record<string, unknown>;
}

export function entryHash(fields: ChainFields, prevHash: string): string {
  return sha256Hex(canonicalJson([fields.seq, fields.at, fields.actor, fields.action, fields.details, prevHash]));
}

export interface StoredEntry extends ChainFields {
  prevHash: string;
  hash: string;
}

/**
 * Checks entries in stored order, one at a time (a chain of millions of entries is never held in memory). Reports
 * the first entry that is missing (a gap in the sequence), altered (its hash does not match its fields) or out of
 * place (its link does not match the entry before).
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private brokenAt?: { seq: number; problem: string };

  /** Feeds the next stored entry; false once the chain is broken (the rest need not be read). */
  push(e: StoredEntry): boolean {
    if (this.brokenAt) return false;
    this.count++;
    const expectedSeq = this.expectedSeq;
    if (e.seq !== expectedSeq) {
      this.brokenAt =
        e.seq > expectedSeq
          ? { seq: expectedSeq, problem: `entry ${expectedSeq}${e.seq - expectedSeq > 1 ? `–${e.seq - 1}` : ''} is missing (deleted from the register)` }
          : { seq: e.seq, problem: `entry ${e.seq} appears out of order` };
      return false;
    }
    if (entryHash(e, e.prevHash) !== e.hash) {
      this.brokenAt = { seq: e.seq, problem: `entry ${e.seq} was altered: its contents no longer match its hash` };
      return false;
    }
    if (e.prevHash !== this.prevHash) {
      this.brokenAt = { seq: e.seq, problem: `entry ${e.seq} does not follow entry ${e.seq - 1}: entries were removed, replaced or reordered` };
      return false;
    }
    this.prevHash = e.hash;
    this.expectedSeq++;
    return true;
  }

  /** The verdict, against the head the register recorded (its last entry's number and hash). */
  finish(head?: { seq: number; hash: string }): { entries: number; broken?: { seq: number; problem: string } } {
    const count = this.count;
    if (this.brokenAt) return { entries: count, broken: this.brokenAt };
    const expectedSeq = this.expectedSeq;
    if (head && head.seq > 0) {
      if (head.seq >= expectedSeq) {
        return { entries: count, broken: { seq: expectedSeq, problem: `entry ${expectedSeq}${head.seq > expectedSeq ? `–${head.seq}` : ''} is missing: the chain ends before its recorded head` } };
      }
      if (head.seq < expectedSeq - 1) {
        return { entries: count, broken: { seq: head.seq + 1, problem: `entry ${head.seq + 1} and later were not written by toezicht: the register's recorded head is entry ${head.seq}` } };
      }
      if (head.hash !== this.prevHash) {
        return { entries: count, broken: { seq: head.seq, problem: `entry ${head.seq} is not the entry the register recorded as the last one` } };
      }
    }
    return { entries: count };
  }
}

/** Checks a whole chain given at once (see ChainVerifier). */
export function verifyEntries(entries: Iterable<StoredEntry>, head?: { seq: number; hash: string }): { entries: number; broken?: { seq: number; problem: string } } {
  const verifier = new ChainVerifier();
  for (const e of entries) if (!verifier.push(e)) break;
  return verifier.finish(head);
}

/** Digest of a purge run's deletion records, kept in its audit entry so the records cannot be edited unseen. */
export function batchesDigest(batches: Iterable<{ storage: string; dir: string; camera: string; names: string[]; bytes: number }>): string {
  const hash = createHash('sha256');
  for (const b of batches) hash.update(canonicalJson([b.storage, b.dir, b.camera, b.names, b.bytes])).update('\n');
  return hash.digest('hex');
}
