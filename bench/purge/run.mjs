// bench/purge: `toezicht footage purge` against GNU `find … -delete` removing the same files from an
// identical tree, in the same run. Prints both times, the ratio and the purge's peak RSS.
//
//   node bench/purge/run.mjs [--files 1000000] [--cameras 10] [--dir /tmp/toezicht-bench-purge] [--keep]
//
// The tree is Frigate's layout over 56 days (January–February 2026, no summer-time change); "now" is set so
// that exactly the first 28 days are expired, whole day folders, so that `find` can be told the same set.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '1000000' },
    cameras: { type: 'string', default: '10' },
    dir: { type: 'string', default: '/tmp/toezicht-bench-purge' },
    keep: { type: 'boolean', default: false },
  },
});
const FILES = Number(values.files);
const CAMERAS = Number(values.cameras);
const base = path.resolve(values.dir);
const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const DAYS = 56;
const NOW = '2026-02-26T00:01:00Z'; // cut-off 2026-01-29T00:01Z: days 1–28 of January are expired
const pad = (n) => String(n).padStart(2, '0');

if (!existsSync(path.join(repo, 'oclif.manifest.json'))) execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
if (existsSync(base)) rmSync(base, { recursive: true, force: true });
const treeA = path.join(base, 'a', 'recordings');
const treeB = path.join(base, 'b', 'recordings');

// Segments per camera, spread evenly over the 56 days, never in the first two minutes of a day (those would
// expire while their day folder is not: find could not be told about them with a day-folder list).
const perCamera = Math.ceil(FILES / CAMERAS);
const usable = DAY - 120_000;
const step = (DAYS * usable) / perCamera;
const content = Buffer.alloc(512, 7);
console.log(`building two identical trees of ${(perCamera * CAMERAS).toLocaleString('en')} files in ${base} …`);
const t0 = Date.now();
let made = 0;
const madeDirs = new Set();
for (let i = 0; i < perCamera; i++) {
  const offset = i * step;
  const day = Math.floor(offset / usable);
  const t = START + day * DAY + 120_000 + Math.floor(offset - day * usable);
  const d = new Date(t);
  const dayDir = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const name = `${pad(d.getUTCMinutes())}.${pad(d.getUTCSeconds())}.mp4`;
  for (let c = 0; c < CAMERAS; c++) {
    const rel = path.join(dayDir, pad(d.getUTCHours()), `cam${c}`);
    if (!madeDirs.has(rel)) {
      mkdirSync(path.join(treeA, rel), { recursive: true });
      mkdirSync(path.join(treeB, rel), { recursive: true });
      madeDirs.add(rel);
    }
    writeFileSync(path.join(treeA, rel, name), content);
    writeFileSync(path.join(treeB, rel, name), content);
    made++;
  }
}
console.log(`built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

const config = path.join(base, 'a', 'toezicht.config.yaml');
writeFileSync(
  config,
  `school: { name: Benchmark, timezone: Europe/Amsterdam }
storage:
  - { id: nas1, type: fs, root: ./recordings, layout: frigate }
cameras:
${Array.from({ length: CAMERAS }, (_, c) => `  - { id: cam${c}, category: surveillance, storage: nas1 }`).join('\n')}
`,
);
execFileSync(process.execPath, [path.join(repo, 'bin/run.js'), 'init', '--config', config], { stdio: 'ignore' });

const expiredDays = readdirSync(treeB).filter((d) => d < '2026-01-29').map((d) => path.join(treeB, d));
execFileSync('sync');

function timed(cmd, args, options = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const [seconds, kb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds, rssMb: kb / 1024, stdout: r.stdout };
}

const find = timed('find', [...expiredDays, '-delete']);
execFileSync('sync');
const purge = timed(process.execPath, [path.join(repo, 'bin/run.js'), 'footage', 'purge', '--config', config, '--now', NOW, '--json'], { maxBuffer: 1 << 28 });
const report = JSON.parse(purge.stdout);

const count = (dir) => {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n++;
  return n;
};
const leftA = count(treeA);
const leftB = count(treeB);
const same = leftA === leftB && report.deleted.files === made - leftA;

console.log('');
console.log(`files            ${made.toLocaleString('en')} (${report.deleted.files.toLocaleString('en')} expired)`);
console.log(`find -delete     ${find.seconds.toFixed(2)} s`);
console.log(`toezicht purge   ${purge.seconds.toFixed(2)} s   peak RSS ${purge.rssMb.toFixed(0)} MB`);
console.log(`ratio            ${(purge.seconds / find.seconds).toFixed(2)}  (target ≤ 1.5; RSS target ≤ 256 MB)`);
console.log(`same files left  ${same ? 'yes' : `NO: purge left ${leftA}, find left ${leftB}`}`);
if (!values.keep) rmSync(base, { recursive: true, force: true });
if (!same) process.exit(1);
