// bench/purge-s3: `toezicht footage purge` on an S3 bucket against `rclone delete --files-from` removing the same
// objects from an identical bucket, in the same run, on a one-node Ceph with its S3 gateway on loopback
// (test/services/ceph.mjs). Prints both times, the ratio and the purge's peak RSS.
//
//   node bench/purge-s3/run.mjs [--objects 200000] [--cameras 10] [--checkers 32]
//
// Frigate's layout over 56 days; "now" is set so that the first 28 days are expired: half of the objects.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startCeph } from '../../test/services/ceph.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '200000' },
    cameras: { type: 'string', default: '10' },
    checkers: { type: 'string', default: '32' },
  },
});
const OBJECTS = Number(values.objects);
const CAMERAS = Number(values.cameras);
const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const DAYS = 56;
const NOW = '2026-02-26T00:01:00Z'; // cut-off 2026-01-29T00:01Z
const CUTOFF = Date.parse(NOW) - 28 * DAY;
const pad = (n) => String(n).padStart(2, '0');

if (!existsSync(path.join(repo, 'oclif.manifest.json'))) execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
const work = mkdtempSync(path.join(tmpdir(), 'tz-bench-s3-'));
console.log('starting a one-node Ceph with its S3 gateway on loopback …');
const ceph = await startCeph({ memstoreBytes: 6 * 1024 ** 3 });
try {
  const client = new S3Client({
    endpoint: ceph.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  for (const b of ['bench-a', 'bench-b']) await client.send(new CreateBucketCommand({ Bucket: b }));

  // Segments per camera spread over the 56 days (10-second Frigate segments, never straddling the cut-off).
  const perCamera = Math.ceil(OBJECTS / CAMERAS);
  const step = Math.floor((DAYS * DAY) / perCamera);
  const keys = [];
  const expired = [];
  for (let i = 0; i < perCamera; i++) {
    const t = START + i * step;
    const d = new Date(t);
    for (let c = 0; c < CAMERAS; c++) {
      const key = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}/${pad(d.getUTCHours())}/cam${c}/${pad(d.getUTCMinutes())}.${pad(d.getUTCSeconds())}.mp4`;
      keys.push(key);
      if (t + 10_000 < CUTOFF) expired.push(key);
    }
  }
  console.log(`writing ${keys.length.toLocaleString('en')} objects into each of two buckets …`);
  const t0 = Date.now();
  const body = Buffer.alloc(512, 7);
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < keys.length) {
        const key = keys[next++];
        await Promise.all(['bench-a', 'bench-b'].map((Bucket) => client.send(new PutObjectCommand({ Bucket, Key: key, Body: body }))));
      }
    }),
  );
  console.log(`written in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  const config = path.join(work, 'toezicht.config.yaml');
  writeFileSync(
    config,
    `school: { name: Benchmark, timezone: Europe/Amsterdam }
storage:
  - { id: bucket, type: s3, endpoint: "${ceph.endpoint}", bucket: bench-a, forcePathStyle: true, layout: frigate }
cameras:
${Array.from({ length: CAMERAS }, (_, c) => `  - { id: cam${c}, category: surveillance, storage: bucket }`).join('\n')}
`,
  );
  const env = { ...process.env, AWS_ACCESS_KEY_ID: ceph.accessKeyId, AWS_SECRET_ACCESS_KEY: ceph.secretAccessKey };
  execFileSync(process.execPath, [path.join(repo, 'bin/run.js'), 'init', '--config', config], { stdio: 'ignore', env });
  const list = path.join(work, 'expired.txt');
  writeFileSync(list, expired.join('\n') + '\n');

  const timed = (cmd, args, options = {}) => {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-2000)}`);
    const [seconds, kb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    return { seconds, rssMb: kb / 1024, stdout: r.stdout };
  };
  // The gateway is plain HTTP on loopback: a CA bundle from the environment would only make rclone's S3 client fail.
  const { AWS_CA_BUNDLE: _ca, ...inherited } = process.env;
  const rcloneEnv = {
    ...inherited,
    RCLONE_CONFIG_CEPH_TYPE: 's3',
    RCLONE_CONFIG_CEPH_PROVIDER: 'Ceph',
    RCLONE_CONFIG_CEPH_ENDPOINT: ceph.endpoint,
    RCLONE_CONFIG_CEPH_ACCESS_KEY_ID: ceph.accessKeyId,
    RCLONE_CONFIG_CEPH_SECRET_ACCESS_KEY: ceph.secretAccessKey,
  };
  const checkers = values.checkers;
  console.log(`rclone delete --files-from (${expired.length.toLocaleString('en')} keys, --checkers ${checkers} --transfers ${checkers}) …`);
  const rclone = timed('rclone', ['delete', 'ceph:bench-b', '--files-from', list, '--checkers', checkers, '--transfers', checkers], { env: rcloneEnv });
  console.log('toezicht footage purge …');
  const purge = timed(process.execPath, [path.join(repo, 'bin/run.js'), 'footage', 'purge', '--config', config, '--now', NOW, '--json'], { env });
  const report = JSON.parse(purge.stdout);

  const count = async (Bucket) => {
    let n = 0;
    let token;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, ...(token ? { ContinuationToken: token } : {}) }));
      n += page.KeyCount ?? 0;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return n;
  };
  const [leftA, leftB] = [await count('bench-a'), await count('bench-b')];
  const same = leftA === leftB && leftA === keys.length - expired.length && report.deleted.files === expired.length;
  client.destroy();

  console.log('');
  console.log(`objects           ${keys.length.toLocaleString('en')} (${expired.length.toLocaleString('en')} expired)`);
  console.log(`rclone delete     ${rclone.seconds.toFixed(2)} s   peak RSS ${rclone.rssMb.toFixed(0)} MB`);
  console.log(`toezicht purge    ${purge.seconds.toFixed(2)} s   peak RSS ${purge.rssMb.toFixed(0)} MB   (${report.storages[0].requests} requests, ${report.storages[0].retries} retried)`);
  console.log(`ratio             ${(purge.seconds / rclone.seconds).toFixed(2)}  (target ≤ 1.0; RSS target ≤ 256 MB)`);
  console.log(`same objects left ${same ? 'yes' : `NO: purge left ${leftA}, rclone left ${leftB}, purge deleted ${report.deleted.files}`}`);
} finally {
  await ceph.stop();
  rmSync(work, { recursive: true, force: true });
}
