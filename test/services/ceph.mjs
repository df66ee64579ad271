// A one-node Ceph cluster with its S3 gateway (radosgw), everything on 127.0.0.1, the OSD in memory (memstore):
// a real S3 implementation with versioning and Object Lock for the tests and the benchmark. Starts in about 15 s.
// Needs Debian's ceph-mon, ceph-osd, ceph-mgr, radosgw and ceph-common (.ci/run installs them).
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from './ports.mjs';

const run = promisify(execFile);

async function runTool(file, args, options = {}) {
  try {
    return (await run(file, args, { timeout: 60_000, ...options })).stdout;
  } catch (error) {
    if (error.code === 'ENOENT') throw new Error(`${file} is not installed (Debian packages ceph-mon ceph-osd ceph-mgr radosgw ceph-common; .ci/run installs them)`);
    throw new Error(`${file} ${args.join(' ')} failed: ${(error.stderr || error.message).trim().split('\n').slice(-3).join(' ')}`);
  }
}

async function until(what, check, seconds) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`Ceph: ${what} did not come up within ${seconds} s`);
    await sleep(250);
  }
}

/**
 * Starts the cluster; resolves with the S3 endpoint, keys and a stop() that ends exactly the daemons it started.
 * @param {{ memstoreBytes?: number }} [options]
 */
export async function startCeph(options = {}) {
  // On a loaded machine a daemon now and then fails to come up; a second cluster from scratch does.
  try {
    return await startOnce(options);
  } catch (error) {
    console.warn(`Ceph did not start (${error.message}); trying once more`);
    return await startOnce(options);
  }
}

async function startOnce(options) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tz-ceph-'));
  const stop = async () => {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.pid'))) {
      const pid = Number(readFileSync(path.join(dir, f), 'utf8').trim());
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const d of ['mon', 'osd', 'run', 'log']) mkdirSync(path.join(dir, d));
    const fsid = crypto.randomUUID();
    const monPort = await freePort();
    const rgwPort = await freePort();
    const conf = path.join(dir, 'ceph.conf');
    writeFileSync(
      conf,
      `[global]
fsid = ${fsid}
mon host = v1:127.0.0.1:${monPort}
public addr = 127.0.0.1
cluster addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon allow pool delete = true
osd objectstore = memstore
memstore device bytes = ${options.memstoreBytes ?? 2 * 1024 ** 3}
osd crush chooseleaf type = 0
run dir = ${dir}/run
log file = ${dir}/log/$name.log
pid file = ${dir}/$name.pid
admin socket = ${dir}/run/$name.asok
mon data = ${dir}/mon/$name
osd data = ${dir}/osd/$name
ms bind ipv6 = false
mon_data_avail_warn = 1
mon_data_avail_crit = 0
osd_pool_default_pg_autoscale_mode = off
# The OSD's first mon command at start can race its own map (it is then sent with a zero fsid and refused);
# the crush location is set below instead.
osd class update on start = false
osd crush update on start = false
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw dns name = localhost
`,
    );
    const c = ['-c', conf];
    // Every tool reads this conf, also where a sub-step does not pass -c on.
    const env = { ...process.env, CEPH_CONF: conf };
    const tool = (file, args) => runTool(file, args, { env });
    await tool('monmaptool', ['--create', '--addv', 'a', `[v1:127.0.0.1:${monPort}]`, '--fsid', fsid, path.join(dir, 'monmap')]);
    await tool('ceph-mon', ['--mkfs', '-i', 'a', '--monmap', path.join(dir, 'monmap'), ...c]);
    await tool('ceph-mon', ['-i', 'a', ...c]);
    await until('the monitor', async () => (await tool('ceph', [...c, '--connect-timeout', '2', 'mon', 'stat']), true), 30);
    await tool('ceph-mgr', ['-i', 'x', ...c]).catch(() => undefined);
    const osd = (await tool('ceph', [...c, 'osd', 'create'])).trim();
    mkdirSync(path.join(dir, 'osd', `osd.${osd}`), { recursive: true });
    await tool('ceph-osd', ['-i', osd, '--mkfs', ...c]);
    for (let attempt = 1; ; attempt++) {
      try {
        await tool('ceph-osd', ['-i', osd, ...c]);
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
        await sleep(500);
      }
    }
    await tool('ceph', [...c, 'osd', 'crush', 'add', `osd.${osd}`, '1', 'root=default', 'host=localhost']).catch(() => undefined);
    await until('the OSD', async () => /1 up/.test(await tool('ceph', [...c, 'osd', 'stat'])), 60);
    await tool('radosgw', [...c, '-n', 'client.rgw']);
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    await until('the S3 gateway', async () => (await fetch(endpoint)).status > 0, 60).catch((error) => {
      let log = '';
      try {
        log = readFileSync(path.join(dir, 'log', 'client.rgw.log'), 'utf8').trim().split('\n').slice(-3).join(' | ');
      } catch {
        // no log
      }
      throw new Error(`${error.message}${log ? `; its log ends: ${log}` : ''}`);
    });
    const accessKeyId = 'TZ' + crypto.randomUUID().replaceAll('-', '').slice(0, 18).toUpperCase();
    const secretAccessKey = crypto.randomUUID() + crypto.randomUUID();
    await tool('radosgw-admin', [...c, 'user', 'create', '--uid=toezicht', '--display-name=toezicht', `--access-key=${accessKeyId}`, `--secret=${secretAccessKey}`]);
    return { endpoint, region: 'us-east-1', accessKeyId, secretAccessKey, dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
