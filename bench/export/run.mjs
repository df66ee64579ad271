// bench/export: `toezicht footage export` of one hour of 1-minute 1280×720 segments against a bare
// `ffmpeg -f concat -safe 0 -i list -c copy` of the same segments, in the same run. Prints both (median of the runs,
// taken in turns), the ratio, the export's peak RSS, and what wrote the clip (toezicht's own MP4 writer or ffmpeg).
//
//   node bench/export/run.mjs [--minutes 60] [--bitrate 2M] [--runs 3] [--dir /tmp/toezicht-bench-export] [--keep]
//
// The export does everything a real one does: reads the storage's folders, inspects every segment, plans the cuts,
// copies the frames into the clip, hashes every source and the clip, writes and signs the manifest and the custody record, records the
// export in the register and the audit chain, and renames the package into place; all through the CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    bitrate: { type: 'string', default: '2M' },
    runs: { type: 'string', default: '3' },
    dir: { type: 'string', default: '/tmp/toezicht-bench-export' },
    keep: { type: 'boolean', default: false },
  },
});
const MINUTES = Number(values.minutes);
const RUNS = Number(values.runs);
const base = path.resolve(values.dir);
const bin = path.join(repo, 'bin/run.js');
if (!existsSync(path.join(repo, 'oclif.manifest.json'))) execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
const { resolveTool } = await import(path.join(repo, 'dist/core/media/index.js'));
const ffmpeg = resolveTool('ffmpeg');

if (existsSync(base)) rmSync(base, { recursive: true, force: true });
mkdirSync(base, { recursive: true });

// One minute of 720p at 25 fps with sensor-like noise (so it compresses like camera footage), keyframe every 2 s.
const minute = path.join(base, 'minute.mp4');
console.log(`encoding one minute of 1280×720 at ${values.bitrate}bit/s with ${ffmpeg.path} …`);
execFileSync(ffmpeg.path, [
  '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25,noise=alls=12:allf=t',
  '-t', '60', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', values.bitrate, '-maxrate', values.bitrate, '-bufsize', '4M',
  '-g', '50', '-keyint_min', '50', '-sc_threshold', '0', '-pix_fmt', 'yuv420p', minute,
]);

// Synology Surveillance Station layout: <camera>/<YYYYMMDD><AM|PM>/<camera>-<YYYYMMDD>-<HHMMSS>-<unix>.mp4, school time.
const START = Date.parse('2026-10-20T07:00:00Z'); // 09:00 in Amsterdam
const root = path.join(base, 'surveillance');
const pad = (n) => String(n).padStart(2, '0');
const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const files = [];
for (let i = 0; i < MINUTES; i++) {
  const t = START + i * 60_000;
  const p = Object.fromEntries(local.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  const date = `${p.year}${p.month}${p.day}`;
  const rel = path.join('Gang', `${date}${Number(p.hour) < 12 ? 'AM' : 'PM'}`, `Gang-${date}-${p.hour}${p.minute}${p.second}-${t / 1000}.mp4`);
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  copyFileSync(minute, path.join(root, rel));
  files.push(path.join(root, rel));
}
const list = path.join(base, 'list.ffconcat');
writeFileSync(list, `ffconcat version 1.0\n${files.map((f) => `file '${f}'`).join('\n')}\n`);

const config = path.join(base, 'toezicht.config.yaml');
writeFileSync(
  config,
  `school: { name: Benchmark, timezone: Europe/Amsterdam }
storage:
  - { id: syno, type: fs, root: ./surveillance, layout: synology }
cameras:
  - { id: gang, category: surveillance, storage: syno, path: Gang }
access: { export: [${userInfo().username}] }
exports: { root: ./exports }
`,
);
execFileSync(process.execPath, [bin, 'init', '--config', config], { stdio: 'ignore' });
execFileSync(process.execPath, [bin, 'keys', 'init', '--config', config], { stdio: 'ignore' });
const from = new Date(START).toISOString();
const to = new Date(START + MINUTES * 60_000).toISOString();

function timed(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const [seconds, kb, user, sys] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds, rssMb: kb / 1024, cpu: user + sys, stdout: r.stdout };
}

const bare = path.join(base, 'bare.mp4');
const baseline = [];
const exports = [];
const cpu = { baseline: [], exports: [] };
let last;
console.log(`${MINUTES} segments of 1 minute; ${RUNS} runs of each, in turns`);
for (let run = 0; run < RUNS; run++) {
  rmSync(bare, { force: true });
  execFileSync('sync');
  const b = timed(ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', bare]);
  baseline.push(b.seconds);
  cpu.baseline.push(b.cpu);
  rmSync(path.join(base, 'exports'), { recursive: true, force: true });
  execFileSync('sync');
  const e = timed(process.execPath, [bin, 'footage', 'export', '--config', config, '--camera', 'gang', '--from', from, '--to', to, '--no-hold', '--reason', 'bench', '--json']);
  exports.push(e.seconds);
  cpu.exports.push(e.cpu);
  last = { ...JSON.parse(e.stdout), rssMb: e.rssMb };
  console.log(`  run ${run + 1}: ffmpeg ${b.seconds.toFixed(2)} s (CPU ${b.cpu.toFixed(2)} s) · toezicht ${e.seconds.toFixed(2)} s (CPU ${e.cpu.toFixed(2)} s)`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// What the CLI's own start costs, for the record: a command that reads the config and the register and exits.
const startups = [];
for (let run = 0; run < RUNS; run++) startups.push(timed(process.execPath, [bin, 'footage', 'exports', '--config', config, '--json']).seconds);
const out = last.manifest.output;
console.log('');
console.log(`clip             ${(out.bytes / 1e6).toFixed(0)} MB, ${out.frames} frames, ${out.durationSeconds} s (${MINUTES} segments)`);
console.log(`ffmpeg concat    ${median(baseline).toFixed(2)} s (median)`);
console.log(`toezicht export  ${median(exports).toFixed(2)} s (median)   peak RSS ${last.rssMb.toFixed(0)} MB`);
console.log(`ratio            ${(median(exports) / median(baseline)).toFixed(2)}  (target ≤ 1.15)`);
console.log(`CLI start-up     ${median(startups).toFixed(2)} s (median of \`toezicht footage exports\`), included in the export's time`);
console.log(`CPU seconds      ffmpeg ${median(cpu.baseline).toFixed(2)} · toezicht ${median(cpu.exports).toFixed(2)} (with its ffmpeg; the machine's load average was ${(await import('node:os')).loadavg()[0].toFixed(1)})`);
console.log(`clip written by  ${last.manifest.output.writer ?? 'ffmpeg'}; hashed while written: ${last.stats.hashedWhileWriting === last.stats.clips ? 'yes' : 'no (read again)'}`);
if (!values.keep) rmSync(base, { recursive: true, force: true });
