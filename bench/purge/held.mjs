// bench/purge/held.mjs (after npm run build): a micro-measure of the deletion itself, deleting N files in F folders by path (realpath check + lstat + unlink) vs held by inode.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { lstat, realpath, unlink } from 'node:fs/promises';
import path from 'node:path';
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { inFolder, folderId } = await import(path.join(repo, 'dist/core/storage/held-folder.js'));
const base = '/tmp/toezicht-bench-held';
const FOLDERS = 50, PER = 360;
function build(root) {
  rmSync(root, { recursive: true, force: true });
  for (let f = 0; f < FOLDERS; f++) {
    const d = path.join(root, `2026-01-${String(1 + (f % 28)).padStart(2, '0')}`, String(f).padStart(2, '0'), 'cam');
    mkdirSync(d, { recursive: true });
    for (let i = 0; i < PER; i++) writeFileSync(path.join(d, `${i}.mp4`), 'x');
  }
}
async function limited(items, n, fn) { let next = 0; await Promise.all(Array.from({ length: n }, async () => { while (next < items.length) { const i = next++; await fn(items[i]); } })); }
const names = Array.from({ length: PER }, (_, i) => `${i}.mp4`);
const dirs = Array.from({ length: FOLDERS }, (_, f) => [`2026-01-${String(1 + (f % 28)).padStart(2, '0')}`, String(f).padStart(2, '0'), 'cam']);
for (let round = 0; round < 2; round++) {
  build(base + 'A');
  let t = process.hrtime.bigint();
  for (const parts of dirs) {
    const d = path.join(base + 'A', ...parts);
    if ((await realpath(d)) !== d) throw new Error('x');
    await limited(names, 32, async (n) => { const st = await lstat(path.join(d, n)); if (st.isFile()) await unlink(path.join(d, n)); });
  }
  const byPath = Number(process.hrtime.bigint() - t) / 1e6;
  build(base + 'B');
  const rootId = await folderId(base + 'B');
  t = process.hrtime.bigint();
  for (const parts of dirs) {
    await inFolder(base + 'B', rootId, parts, async () => { await limited(names, 32, async (n) => { const st = await lstat(n); if (st.isFile()) await unlink(n); }); });
  }
  const held = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(`${FOLDERS * PER} files in ${FOLDERS} folders: by path ${byPath.toFixed(0)} ms, held by inode ${held.toFixed(0)} ms (ratio ${(held / byPath).toFixed(2)})`);
}
rmSync(base + 'A', { recursive: true, force: true }); rmSync(base + 'B', { recursive: true, force: true });
