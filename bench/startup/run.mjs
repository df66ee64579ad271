// bench/startup: how fast the built `toezicht` answers, each command against bare `node -e ''` in the same run.
//   node bench/startup/run.mjs [--runs 30] [--compare /path/to/another/checkout]
// The commands of a first week (issue 19.12) run on a small school (a config and `toezicht init`'s register) in a
// temp folder, so they read a real config and open a real register; the rounds are interleaved so that load from
// others hits all alike. --compare runs the same commands of another built checkout (e.g. the commit before a change)
// in the same rounds.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' }, compare: { type: 'string' } } });
const runs = Number(values.runs);
const bins = [['', path.join(repo, 'bin/run.js')], ...(values.compare ? [[' (compare)', path.join(path.resolve(values.compare), 'bin/run.js')]] : [])];

const dir = mkdtempSync(path.join(tmpdir(), 'toezicht-startup-'));
mkdirSync(path.join(dir, 'footage'));
writeFileSync(
  path.join(dir, 'toezicht.config.yaml'),
  `school: { name: Bench }
storage:
  - { id: nas1, type: fs, root: ./footage, layout: frigate }
cameras:
  - { id: entree, name: Hoofdingang, category: surveillance, purpose: Diefstal voorkomen, storage: nas1 }
`,
);
const init = spawnSync(process.execPath, [bins[0][1], 'init'], { cwd: dir, encoding: 'utf8' });
if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);

const cases = [{ label: "node -e ''", args: ['-e', ''] }];
for (const [tag, bin] of bins) {
  cases.push(
    { label: `toezicht --version${tag}`, args: [bin, '--version'], target: 200 },
    { label: `toezicht --help${tag}`, args: [bin, '--help'], target: 300 },
    { label: `toezicht config validate${tag}`, args: [bin, 'config', 'validate'], target: 300 },
    { label: `toezicht footage status${tag}`, args: [bin, 'footage', 'status'], target: 300 },
    { label: `toezicht footage hold list${tag}`, args: [bin, 'footage', 'hold', 'list'], target: 300 },
    { label: `toezicht footage purge --help${tag}`, args: [bin, 'footage', 'purge', '--help'] },
  );
}
const times = cases.map(() => []);
for (let i = 0; i < runs; i++) {
  cases.forEach((c, k) => {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, c.args, { stdio: 'ignore', cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    if (r.status !== 0) throw new Error(`${c.label} exited ${r.status}`);
    times[k].push(Number(process.hrtime.bigint() - t) / 1e6);
  });
}
rmSync(dir, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const baseline = median(times[0]);
for (const [k, c] of cases.entries()) {
  const m = median(times[k]);
  const ratio = k === 0 ? '(baseline)' : `ratio ${(m / baseline).toFixed(2)}`;
  const target = c.target ? `  target ≤ ${c.target} ms: ${m <= c.target ? 'met' : 'NOT met'}` : '';
  console.log(`${c.label.padEnd(42)} ${m.toFixed(0).padStart(5)} ms  ${ratio}${target}`);
}
console.log(`(median of ${runs} interleaved runs each; load average ${(await import('node:os')).loadavg()[0].toFixed(1)})`);
