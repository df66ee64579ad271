// The register proves itself before a purge deletes (issue 15), with footage in a real bucket (one-node Ceph on
// loopback) and with the register on a real PostgreSQL: the same refusals as with a file tree and an SQLite file.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { cephInstalled, listKeys, makeBucket, putKeys, s3Client } from '../helpers/s3.js';
import { DAY, every, frigatePath, listFiles, makeSchool, writeFiles, type SchoolFixture } from '../helpers/school.js';
import { startCeph } from '../services/ceph.mjs';
import { startPostgres } from '../services/postgres.mjs';
import type { CephService, PostgresService } from '../services/services.d.mts';

const NOW = '2026-11-26T12:00:00Z';
const NOW_MS = Date.parse(NOW);
const HOLD_FROM = NOW_MS - 31 * DAY;
const HOLD_TO = HOLD_FROM + 30 * 60_000;
const PREFIX = 'klimop/frigate/';
const schools: SchoolFixture[] = [];

const haveCeph = cephInstalled();
const havePg = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
if (!haveCeph) console.warn('SKIPPED: the S3 register-guard tests need Ceph');
if (!havePg) console.warn('SKIPPED: the PostgreSQL register-guard tests need PostgreSQL');

afterAll(() => {
  for (const s of schools) s.cleanup();
});

const holdArgs = (camera: string) => ['--camera', camera, '--from', new Date(HOLD_FROM).toISOString(), '--to', new Date(HOLD_TO).toISOString(), '--case', 'I-1', '--reason', 'diefstal'];
const expiredStarts = every(NOW_MS - 31 * DAY, NOW_MS - 30 * DAY, 10 * 60_000);
const heldStarts = expiredStarts.filter((t) => t <= HOLD_TO && t + 10_000 >= HOLD_FROM);

describe.skipIf(!haveCeph)('on an S3 bucket', () => {
  let ceph: CephService;
  let client: S3Client;
  let env: Record<string, string>;
  beforeAll(async () => {
    ceph = await startCeph();
    client = s3Client(ceph);
    env = { AWS_ACCESS_KEY_ID: ceph.accessKeyId, AWS_SECRET_ACCESS_KEY: ceph.secretAccessKey };
  }, 120_000);
  afterAll(async () => {
    client?.destroy();
    await ceph?.stop();
  });

  it('marker and hold record objects under the prefix; an emptied register is refused, a lost one recovered, the held objects stay', async () => {
    const bucket = `guard-${process.pid}`;
    await makeBucket(client, bucket);
    const school = await makeSchool({
      school: { name: 'Testschool' },
      storage: [{ id: 'bucket', type: 's3', endpoint: ceph.endpoint, bucket, prefix: PREFIX, forcePathStyle: true, layout: 'frigate' }],
      cameras: [{ id: 'entree', category: 'surveillance', storage: 'bucket' }],
    });
    schools.push(school);
    await putKeys(client, bucket, expiredStarts.map((t) => PREFIX + frigatePath('entree', t)));
    const held = heldStarts.map((t) => PREFIX + frigatePath('entree', t)).sort();
    const cfg = ['--config', school.configFile];
    const add = await toezicht(['footage', 'hold', 'add', ...cfg, ...holdArgs('entree')], { env });
    expect(add.exitCode, add.stderr).toBe(0);
    const holdId = add.stdout.trim();
    const record = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${PREFIX}.toezicht/holds/${holdId}.json` }));
    expect(JSON.parse(JSON.parse(await record.Body!.transformToString()).payload)).toMatchObject({ holdId, cameras: ['entree'] });

    const purge = (...extra: string[]) => toezicht(['footage', 'purge', ...cfg, '--now', NOW, '--json', ...extra], { env });
    const first = await purge();
    expect(first.exitCode, first.stderr).toBe(0);
    expect(await listKeys(client, bucket)).toEqual(held);
    const marker = JSON.parse(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${PREFIX}.toezicht/register.json` }))).Body!.transformToString());
    expect(marker.anchor.seq).toBe(first.json.anchor.seq);

    writeFileSync(school.config.register, '');
    const emptied = await purge();
    expect(emptied.exitCode).toBe(2);
    expect(emptied.json.error.code).toBe('register.empty');

    rmSync(school.config.register);
    const init = await toezicht(['init', ...cfg], { env });
    expect(init.exitCode).toBe(2);
    expect(init.stderr).toMatch(/Storage bucket is purged by register/);
    const recover = await toezicht(['register', 'recover', ...cfg, '--json'], { env });
    expect(recover.exitCode, recover.stderr).toBe(0);
    expect(recover.json.holds.map((h: { id: string }) => h.id)).toEqual([holdId]);
    const after = await purge();
    expect(after.exitCode, after.stderr).toBe(0);
    expect(after.json.held.byHold).toEqual({ [holdId]: held.length });
    expect(await listKeys(client, bucket)).toEqual(held);
  }, 180_000);
});

describe.skipIf(!havePg)('with the register on PostgreSQL', () => {
  let server: PostgresService;
  let dbNo = 0;
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  async function school(): Promise<{ s: SchoolFixture; root: string; held: string[]; holdId: string; query: (sql: string) => Promise<void>; env: Record<string, string> }> {
    const name = `guard_${process.pid}_${++dbNo}`;
    const admin = new pg.Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    process.env.TOEZICHT_REGISTER_PASSWORD = server.password;
    const s = await makeSchool({
      school: { name: 'Testschool' },
      register: `postgres://${server.user}@${server.host}:${server.port}/${name}`,
      storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
      cameras: [{ id: 'entree', category: 'surveillance', storage: 'nas1' }],
    });
    schools.push(s);
    const root = `${s.dir}/footage`;
    writeFiles(root, expiredStarts.map((t) => frigatePath('entree', t)));
    const env = { TOEZICHT_REGISTER_PASSWORD: server.password };
    const add = await toezicht(['footage', 'hold', 'add', '--config', s.configFile, ...holdArgs('entree')], { env });
    expect(add.exitCode, add.stderr).toBe(0);
    const query = async (sql: string): Promise<void> => {
      const c = new pg.Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: name });
      await c.connect();
      await c.query(sql);
      await c.end();
    };
    return { s, root, held: heldStarts.map((t) => frigatePath('entree', t)).sort(), holdId: add.stdout.trim(), query, env };
  }

  it('a hold released with SQL: the purge refuses (exit 2) and audit verify names the hold (exit 1)', async () => {
    const { s, root, holdId, query, env } = await school();
    await query(`UPDATE holds SET released_at = '2026-11-01T00:00:00.000Z' WHERE id = '${holdId}'`);
    const r = await toezicht(['footage', 'purge', '--config', s.configFile, '--now', NOW, '--json'], { env });
    expect(r.exitCode).toBe(2);
    expect(r.json.error.code).toBe('register.holds-tampered');
    expect(listFiles(root)).toHaveLength(expiredStarts.length);
    const verify = await toezicht(['audit', 'verify', '--config', s.configFile], { env });
    expect(verify.exitCode).toBe(1);
    expect(verify.stdout).toContain(holdId);
  }, 120_000);

  it('its identity removed: refused as damaged; forged: refused as another register; its chain and holds emptied: refused against the anchor', async () => {
    const { s, root, held, query, env } = await school();
    const purge = () => toezicht(['footage', 'purge', '--config', s.configFile, '--now', NOW, '--json'], { env });
    expect((await purge()).exitCode).toBe(0);
    expect(listFiles(root)).toEqual(held);
    await query("DELETE FROM meta WHERE key = 'register_id'");
    const damaged = await purge();
    expect(damaged.exitCode).toBe(2);
    expect(damaged.json.error.code).toBe('register.damaged');
    await query("INSERT INTO meta (key, value) VALUES ('register_id', 'forged')");
    const foreign = await purge();
    expect(foreign.exitCode).toBe(2);
    expect(foreign.json.error.message).toMatch(/is purged by register [0-9a-f]{32}.*not by this register forged/);
    await query(`DELETE FROM meta WHERE key = 'register_id'`);
    await query(`INSERT INTO meta (key, value) SELECT 'register_id', '${JSON.parse((await import('node:fs')).readFileSync(`${root}/.toezicht/register.json`, 'utf8')).registerId}'`);
    await query(`DELETE FROM audit; DELETE FROM object_legal_holds; DELETE FROM hold_cameras; DELETE FROM holds; UPDATE meta SET value = '0' WHERE key = 'audit_head_seq'; UPDATE meta SET value = '${'0'.repeat(64)}' WHERE key = 'audit_head_hash'`);
    const emptied = await purge();
    expect(emptied.exitCode).toBe(2);
    expect(emptied.json.error.message).toMatch(/the audit chain is empty/);
    expect(listFiles(root)).toEqual(held);
  }, 120_000);
});
