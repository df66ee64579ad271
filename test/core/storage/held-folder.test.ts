// Deletion held by inode, step by step: a folder swapped after the walk (for a link, or for another real folder) is
// not deleted in; a package removed as a tree removes a link inside it as a link; the working folder comes back.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsStore } from '../../../src/core/storage/fs-store.js';
import { FolderChanged, folderId, removeTree } from '../../../src/core/storage/held-folder.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function tree(files: string[], base: string): void {
  for (const rel of files) {
    mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    writeFileSync(path.join(base, rel), 'segment');
  }
}

async function walked(store: FsStore): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for await (const chunk of store.walk()) out.set(chunk.dir, [...(out.get(chunk.dir) ?? []), ...chunk.entries.map((e) => e.name)]);
  return out;
}

describe('FsStore deletes only in the folder it walked', () => {
  it('skips a folder swapped for a link after the walk, and one swapped for another real folder', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'toezicht-held-'));
    const root = path.join(dir, 'root');
    const outside = path.join(dir, 'outside');
    tree(['2026-10-20/08/entree/00.00.mp4', '2026-10-20/08/entree/00.10.mp4', '2026-10-20/09/entree/00.00.mp4'], root);
    tree(['00.00.mp4', '00.10.mp4'], outside);
    const cwd = process.cwd();
    const store = new FsStore('nas', root);
    expect((await store.check()).ok).toBe(true);
    const listing = await walked(store);
    expect(listing.get('2026-10-20/08/entree')?.sort()).toEqual(['00.00.mp4', '00.10.mp4']);

    // A link where the walked folder was.
    renameSync(path.join(root, '2026-10-20/08/entree'), path.join(dir, 'aside'));
    symlinkSync(outside, path.join(root, '2026-10-20/08/entree'));
    const viaLink = await store.remove('2026-10-20/08/entree', ['00.00.mp4', '00.10.mp4']);
    expect(viaLink.removed).toEqual([]);
    expect(viaLink.skipped.map((s) => s.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/its folder changed since it was read \(entree is now a symbolic link\)/)]));
    expect(readdirSync(outside).sort()).toEqual(['00.00.mp4', '00.10.mp4']);

    // Another real folder (moved in from outside the root) under the same name.
    rmSync(path.join(root, '2026-10-20/08/entree'));
    renameSync(outside, path.join(root, '2026-10-20/08/entree'));
    const swapped = await store.remove('2026-10-20/08/entree', ['00.00.mp4']);
    expect(swapped.removed).toEqual([]);
    expect(swapped.skipped[0]!.reason).toMatch(/not the folder that was read/);

    // The walked folder itself, and a name that climbs out, by bare name only.
    const real = await store.remove('2026-10-20/09/entree', ['00.00.mp4', '../08/entree/00.00.mp4']);
    expect(real.removed.map((r) => r.name)).toEqual(['00.00.mp4']);
    expect(real.skipped.map((s) => s.name)).toEqual(['../08/entree/00.00.mp4']);
    expect(await store.removeEmptyDirs(['2026-10-20/09/entree'])).toBe(2);
    expect(existsSync(path.join(root, '2026-10-20/09'))).toBe(false);
    expect(process.cwd()).toBe(cwd);
  });
});

describe('removeTree', () => {
  it('removes a package with a link inside as a link, never what it points to; refuses a path through a link', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'toezicht-held-'));
    const root = path.join(dir, 'exports');
    const precious = path.join(dir, 'precious');
    tree(['E-1/manifest.json', 'E-1/clips/entree.mp4'], root);
    tree(['keep.mp4'], precious);
    symlinkSync(precious, path.join(root, 'E-1', 'clips', 'evil'));
    symlinkSync(path.join(root, 'E-1'), path.join(root, 'E-2'));
    const rootId = await folderId(root);
    await expect(removeTree(root, rootId, ['E-2', 'clips'])).rejects.toBeInstanceOf(FolderChanged);
    await removeTree(root, rootId, ['E-1']);
    expect(readdirSync(root)).toEqual(['E-2']);
    expect(readdirSync(precious)).toEqual(['keep.mp4']);
  });
});
