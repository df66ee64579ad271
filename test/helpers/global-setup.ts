// The CLI tests run bin/run.js against dist/: refuse to start on a stale or missing build.
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  const manifest = path.join(root, 'oclif.manifest.json');
  if (!existsSync(manifest) || !existsSync(path.join(root, 'dist'))) {
    throw new Error('No build found: run `npm test` (it builds first) or `npm run build`.');
  }
  if (newest(path.join(root, 'src')) > statSync(manifest).mtimeMs) {
    throw new Error('src/ is newer than the build: run `npm test` (it builds first) or `npm run build`.');
  }
}
