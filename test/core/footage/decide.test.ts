import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/core/footage/index.js';

const CUTOFF = 1_000_000;
const seg = (start: number, end: number): { start: number; end: number } => ({ start, end });

describe('keep or delete one segment', () => {
  it('deletes a segment that ended before the cut-off', () => {
    expect(decide(seg(900_000, 999_999), CUTOFF, [])).toEqual({ action: 'delete' });
  });

  it('keeps a segment that ends exactly at the cut-off or later', () => {
    expect(decide(seg(990_000, CUTOFF), CUTOFF, [])).toEqual({ action: 'keep', why: 'unexpired' });
    expect(decide(seg(995_000, 1_005_000), CUTOFF, [])).toEqual({ action: 'keep', why: 'unexpired' });
  });

  it('keeps everything when no retention applies', () => {
    expect(decide(seg(0, 1), -Infinity, [])).toEqual({ action: 'keep', why: 'no-retention' });
  });

  it('keeps an expired segment that a hold covers, naming the hold', () => {
    expect(decide(seg(500, 600), CUTOFF, [{ id: 'H-1', from: 550, to: 560 }])).toEqual({ action: 'hold', holds: ['H-1'] });
  });

  it('keeps a segment that only touches a hold at its edges', () => {
    expect(decide(seg(500, 600), CUTOFF, [{ id: 'H-1', from: 600, to: 700 }]).action).toBe('hold');
    expect(decide(seg(500, 600), CUTOFF, [{ id: 'H-1', from: 400, to: 500 }]).action).toBe('hold');
  });

  it('deletes a segment just outside a hold', () => {
    expect(decide(seg(500, 600), CUTOFF, [{ id: 'H-1', from: 601, to: 700 }])).toEqual({ action: 'delete' });
    expect(decide(seg(500, 600), CUTOFF, [{ id: 'H-1', from: 300, to: 499 }])).toEqual({ action: 'delete' });
  });
});
