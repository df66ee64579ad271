// bench/startup: how fast `toezicht --version` (and a full command's help) answers, against bare `node` in the same run.
//   node bench/startup/run.mjs [--runs 30]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' } } });
const runs = Number(values.runs);
const bin = path.join(repo, 'bin/run.js');

function median(args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const baseline = median(['-e', '']);
const version = median([bin, '--version']);
const help = median([bin, 'footage', 'purge', '--help']);
console.log(`node -e ''                      ${baseline.toFixed(0)} ms (baseline)`);
console.log(`toezicht --version              ${version.toFixed(0)} ms  ratio ${(version / baseline).toFixed(2)}  (target ≤ 200 ms)`);
console.log(`toezicht footage purge --help   ${help.toFixed(0)} ms  ratio ${(help / baseline).toFixed(2)}`);
console.log(`(median of ${runs} runs each)`);
