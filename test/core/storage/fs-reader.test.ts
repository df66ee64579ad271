// FsStore.openSegment: random reads of a segment file, and the same refusals as the purge (links, non-files, paths
// that climb out of the root).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsStore } from '../../../src/core/storage/fs-store.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function storeWith(files: Record<string, Buffer>): Promise<{ store: FsStore; root: string }> {
  dir = mkdtempSync(path.join(tmpdir(), 'toezicht-fsreader-'));
  const root = path.join(dir, 'recordings');
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), body);
  }
  mkdirSync(root, { recursive: true });
  const store = new FsStore('nas', root);
  expect((await store.check()).ok).toBe(true);
  return { store, root };
}

describe('FsStore.openSegment', () => {
  it('reads any range of the file, 0 past its end, and names the file it read', async () => {
    const body = randomBytes(300_000);
    const { store, root } = await storeWith({ 'entree/2026-11-26/10.00.mp4': body });
    const reader = await store.openSegment('entree/2026-11-26/10.00.mp4');
    expect(reader.bytes).toBe(body.length);
    expect(reader.origin).toEqual({ kind: 'fs', path: path.join(root, 'entree', '2026-11-26', '10.00.mp4') });
    for (const [position, length] of [[0, 10], [299_990, 10], [123_456, 50_000], [1, 1]] as const) {
      const buf = Buffer.alloc(length + 3);
      expect(await reader.read(buf, 3, length, position)).toBe(length);
      expect(buf.subarray(3).equals(body.subarray(position, position + length))).toBe(true);
    }
    const buf = Buffer.alloc(100);
    expect(await reader.read(buf, 0, 100, body.length)).toBe(0);
    expect(await reader.read(buf, 0, 100, body.length - 30)).toBe(30);
    await reader.close();
  });

  it('refuses a symlink, a folder and a path out of the root; a missing file is "gone"', async () => {
    const { store, root } = await storeWith({ 'entree/a.mp4': Buffer.from('segment') });
    const outside = path.join(dir!, 'secret.mp4');
    writeFileSync(outside, 'not footage');
    symlinkSync(outside, path.join(root, 'entree', 'link.mp4'));
    await expect(store.openSegment('entree/link.mp4')).rejects.toMatchObject({ code: 'storage.segment-unreadable', message: expect.stringMatching(/link\.mp4 is a symbolic link/) });
    await expect(store.openSegment('entree')).rejects.toMatchObject({ code: 'storage.segment-unreadable', message: expect.stringMatching(/is not a regular file/) });
    await expect(store.openSegment('../secret.mp4')).rejects.toMatchObject({ code: 'storage.segment-unreadable' });
    unlinkSync(path.join(root, 'entree', 'a.mp4'));
    await expect(store.openSegment('entree/a.mp4')).rejects.toMatchObject({ code: 'storage.segment-gone' });
  });
});
