// bench/replay: one hour of a 4 Mbit/s recording pulled out of the simulated recorder over ONVIF replay (RTSP over
// TCP on loopback, Rate-Control: no) into an MP4 by toezicht's replay client and MP4 writer, against a client that
// does the same RTSP exchange and discards the packets (the cost of the simulator and the socket), in the same run.
// Prints both, the speed against real time (target ≥ 20×), and the pull's peak RSS (target ≤ 256 MB).
//
//   npm run build && node bench/replay/run.mjs [--minutes 60] [--bitrate 4M] [--dir /tmp/toezicht-bench-replay] [--keep]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    bitrate: { type: 'string', default: '4M' },
    dir: { type: 'string', default: '/tmp/toezicht-bench-replay' },
    keep: { type: 'boolean', default: false },
  },
});
const MINUTES = Number(values.minutes);
const base = path.resolve(values.dir);
if (existsSync(base)) rmSync(base, { recursive: true, force: true });
mkdirSync(base, { recursive: true });
const { resolveTool } = await import(path.join(repo, 'dist/core/media/index.js'));
const { makeClip } = await import(path.join(repo, 'test/sim/recorder-footage.mjs'));
const { startSimulator } = await import(path.join(repo, 'test/sim/onvif-sim.mjs'));

// Ten seconds of 1280×720 at 25 fps with noise (so it is as heavy as camera footage), a keyframe every 2 s; the
// recorder plays it in a loop for the whole recording.
console.log(`encoding a 10 s loop of 1280×720 at ${values.bitrate}bit/s …`);
const clip = await makeClip({ ffmpeg: resolveTool('ffmpeg').path, width: 1280, height: 720, fps: 25, gop: 50, seconds: 10, bitrate: values.bitrate });
const mbits = (clip.bytes * 8) / 10 / 1e6;
console.log(`the loop is ${mbits.toFixed(2)} Mbit/s`);

const PASSWORD = 'Bench-Replay-1';
const FROM = Date.parse('2026-10-20T07:00:00Z');
const TO = FROM + MINUTES * 60_000;
const sim = await startSimulator({
  multicast: false,
  devices: [{ address: '127.0.18.200', port: 18200, style: 'axis', kind: 'recorder', users: [{ user: 'beheer', password: PASSWORD }], replay: { port: 18201, mtu: 1400 }, recordings: [{ token: 'REC-1', sourceName: 'gang', sourceId: 'urn:uuid:gang', from: FROM - 60_000, until: TO + 60_000, clip, retention: 'PT0S' }] }],
});

const env = { ...process.env, NVR_PASSWORD: PASSWORD, TOEZICHT_NETWORK_GUARD: '1' };
function run(mode, output) {
  // The simulator runs in this process; the pull in its own, measured by /usr/bin/time.
  return new Promise((resolve, reject) => {
    import('node:child_process').then(({ spawn }) => {
      const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, path.join(repo, 'bench/replay/pull.mjs'), mode, '127.0.18.200:18200', 'REC-1', String(FROM), String(TO), output], { env });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => {
        if (code !== 0) return reject(new Error(`${mode} failed: ${err}`));
        const rssKb = Number(err.trim().split('\n').at(-1));
        resolve({ ...JSON.parse(out.trim().split('\n').at(-1)), rssMb: Math.round(rssKb / 1024) });
      });
    });
  });
}

const baseline = await run('discard', '');
console.log(`baseline (RTSP, packets discarded): ${baseline.seconds.toFixed(1)} s for ${(baseline.bytes / 1e9).toFixed(2)} GB`);
const output = path.join(base, 'replay.mp4');
const pull = await run('pull', output);
const realTime = (MINUTES * 60) / pull.seconds;
console.log(`toezicht replay → MP4: ${pull.seconds.toFixed(1)} s, ${pull.frames} frames, ${(statSync(output).size / 1e9).toFixed(2)} GB, ${realTime.toFixed(1)}× real time, peak RSS ${pull.rssMb} MB`);
console.log(`ratio against the baseline: ${(pull.seconds / baseline.seconds).toFixed(2)}`);
console.log(`targets: ≥ 20× real time ${realTime >= 20 ? 'met' : 'NOT met'}; peak RSS ≤ 256 MB ${pull.rssMb <= 256 ? 'met' : 'NOT met'}`);
await sim.stop();
if (!values.keep) rmSync(base, { recursive: true, force: true });
