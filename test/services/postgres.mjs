// A throw-away PostgreSQL server (Debian's postgresql): initdb in a temp folder, listening on 127.0.0.1 and a socket
// in that folder. The role `toezicht` logs in with a password over TCP (as a board's hosts would); the admin role
// only over the socket. PostgreSQL refuses to run as root: as root it runs as the `postgres` user.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.mjs';

const run = promisify(execFile);

function binDir() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(base, versions[0], 'bin');
  }
  throw new Error('PostgreSQL is not installed (Debian package postgresql; .ci/run installs it)');
}

export async function startPostgres() {
  const bin = binDir();
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'tz-pg-'));
  let owner;
  if (root) {
    const { stdout } = await run('id', ['-u', 'postgres']).catch(() => ({ stdout: '' }));
    const { stdout: gid } = await run('id', ['-g', 'postgres']).catch(() => ({ stdout: '' }));
    if (!stdout.trim()) throw new Error('running as root, PostgreSQL needs the postgres user (Debian package postgresql creates it)');
    owner = { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
    chownSync(dir, owner.uid, owner.gid);
  }
  const as = (file, args) => (root ? run('runuser', ['-u', 'postgres', '--', path.join(bin, file), ...args], { timeout: 60_000 }) : run(path.join(bin, file), args, { timeout: 60_000 }));
  const data = path.join(dir, 'data');
  const stop = async () => {
    await as('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const admin = 'tzadmin';
    await as('initdb', ['-D', data, '-U', admin, '--auth=trust', '-E', 'UTF8', '--no-locale']).catch((e) => {
      throw new Error(`initdb failed: ${(e.stderr || e.message).trim().split('\n').slice(-2).join(' ')}`);
    });
    writeFileSync(
      path.join(data, 'pg_hba.conf'),
      ['local all all trust', `host all ${admin} 127.0.0.1/32 trust`, 'host all all 127.0.0.1/32 scram-sha-256', ''].join('\n'),
    );
    appendFileSync(path.join(data, 'postgresql.conf'), `\nlisten_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${dir}'\nfsync = off\nmax_connections = 200\n`);
    if (owner) for (const f of ['pg_hba.conf', 'postgresql.conf']) chownSync(path.join(data, f), owner.uid, owner.gid);
    await as('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']).catch((e) => {
      throw new Error(`PostgreSQL did not start: ${(e.stderr || e.stdout || e.message).trim().split('\n').slice(-2).join(' ')}`);
    });
    const password = crypto.randomUUID();
    await run(path.join(bin, 'psql'), ['-h', dir, '-p', String(port), '-U', admin, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE ROLE toezicht LOGIN CREATEDB PASSWORD '${password}'`]);
    return { host: '127.0.0.1', port, socketDir: dir, admin, user: 'toezicht', password, dir, stop, runningAs: root ? 'postgres' : userInfo().username };
  } catch (error) {
    await stop();
    throw error;
  }
}
