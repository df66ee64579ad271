// The register on a real PostgreSQL (initdb in a temp folder, on loopback): the same schema and audit chain, one
// unbroken chain with several hosts writing at once, and `register migrate` from an embedded register.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { stringify, parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addHold, purgeFootage } from '../../src/core/footage/index.js';
import { openRegister } from '../../src/core/register/index.js';
import { DAY, every, frigatePath, makeSchool, writeFiles, type SchoolFixture } from '../helpers/school.js';
import { toezicht } from '../helpers/cli.js';
import { startPostgres } from '../services/postgres.mjs';
import type { PostgresService } from '../services/services.d.mts';

const installed = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
if (!installed) console.warn('SKIPPED: the PostgreSQL register tests need PostgreSQL (Debian postgresql; .ci/run installs it)');

let server: PostgresService;
const schools: SchoolFixture[] = [];
let dbNo = 0;
const NOW = Date.parse('2026-11-26T12:00:00Z');

beforeAll(async () => {
  if (!installed) return;
  server = await startPostgres();
  process.env.TOEZICHT_REGISTER_PASSWORD = server.password;
}, 120_000);

afterAll(async () => {
  for (const s of schools) s.cleanup();
  await server?.stop();
});

/** A new empty database for one register; its URL without the password. */
async function newDatabase(): Promise<string> {
  const name = `register_${++dbNo}`;
  const client = new pg.Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: 'postgres' });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  return `postgres://${server.user}@${server.host}:${server.port}/${name}`;
}

const env = (): Record<string, string> => ({ TOEZICHT_REGISTER_PASSWORD: server.password });

describe.skipIf(!installed)('the register on PostgreSQL', () => {
  it('is created by init, keeps holds and the audit chain, and never shows the password', async () => {
    const url = await newDatabase();
    const school = await makeSchool({
      school: { name: 'Testschool' },
      register: url,
      storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
      cameras: [{ id: 'entree', category: 'surveillance', storage: 'nas1' }],
    });
    schools.push(school);
    const add = await toezicht(['footage', 'hold', 'add', '--config', school.configFile, '--camera', 'entree', '--from', '2026-10-20', '--to', '2026-10-20', '--case', 'I-1', '--reason', 'Test', '--json'], { env: env() });
    expect(add.exitCode).toBe(0);
    const list = await toezicht(['footage', 'hold', 'list', '--config', school.configFile, '--json'], { env: env() });
    expect(list.json.holds.map((h: { id: string }) => h.id)).toEqual([add.json.id]);
    const verify = await toezicht(['audit', 'verify', '--config', school.configFile, '--json'], { env: env() });
    expect(verify.exitCode).toBe(0);
    expect(verify.json.entries).toBe(2); // register.create, hold.add
    for (const r of [add, list, verify]) expect(r.stdout + r.stderr).not.toContain(server.password);

    // Without the password: one sentence, exit 2 or 1, nothing deleted, and still no secret shown.
    const denied = await toezicht(['footage', 'purge', '--config', school.configFile], { env: { TOEZICHT_REGISTER_PASSWORD: 'wrong' } });
    expect(denied.exitCode).toBeGreaterThan(0);
    expect(denied.stderr).toMatch(/cannot be reached|password/i);
    expect(denied.stderr).not.toContain('wrong');

    // A password in the URL is refused by the config check.
    const cfg = parse(readFileSync(school.configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(school.configFile, stringify({ ...cfg, register: url.replace(`${server.user}@`, `${server.user}:geheim@`) }));
    const bad = await toezicht(['config', 'validate', '--config', school.configFile]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stdout + bad.stderr).toMatch(/TOEZICHT_REGISTER_PASSWORD/);
    expect(bad.stdout + bad.stderr).not.toContain('geheim');
  });

  it('keeps one unbroken chain with two processes appending at once, and loses no entry', async () => {
    const url = await newDatabase();
    const school = await makeSchool({ school: { name: 'Testschool' }, register: url, cameras: [] });
    schools.push(school);
    const script = path.resolve(import.meta.dirname, '../helpers/appender.mjs');
    const COUNT = 150;
    const runs = ['a', 'b'].map((tag) => execa(process.execPath, [script, url, tag, String(COUNT)], { env: env(), reject: false }));
    const results = await Promise.all(runs);
    for (const r of results) expect(r.stderr).toBe('');
    expect(results.map((r) => r.stdout.trim()).sort()).toEqual(['done a', 'done b']);

    const register = openRegister(url).register;
    try {
      const verification = await register.verifyAudit();
      expect(verification.ok).toBe(true);
      expect(verification.entries).toBe(1 + 2 * COUNT);
      const entries = await register.auditEntries();
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 1 + 2 * COUNT }, (_, i) => i + 1));
      for (const tag of ['a', 'b']) {
        const appended = entries.filter((e) => e.action === 'test.append' && (e.details as { tag?: string }).tag === tag).map((e) => (e.details as { i: number }).i);
        expect(appended).toEqual(Array.from({ length: COUNT }, (_, i) => i).filter((i) => i % 5 !== 0));
      }
      // Both hosts' holds, each with its own id.
      const holds = await register.listHolds();
      expect(holds.length).toBe(2 * (COUNT / 5));
      expect(new Set(holds.map((h) => h.id)).size).toBe(holds.length);
    } finally {
      await register.close();
    }
  }, 120_000);

  it('register migrate copies an embedded register with its chain intact, and the copy serves the same school', async () => {
    const school = await makeSchool({
      school: { name: 'Testschool' },
      storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
      cameras: [{ id: 'entree', category: 'surveillance', storage: 'nas1' }],
    });
    schools.push(school);
    const root = path.join(school.dir, 'footage');
    writeFiles(root, every(NOW - 30 * DAY, NOW - 29 * DAY, 600_000).map((t) => frigatePath('entree', t)));
    const reg = school.register();
    const hold = await addHold(school.config, reg, { cameras: ['entree'], from: '2026-10-20', to: '2026-10-21', caseRef: 'I-9', reason: 'Test' });
    const purge = await purgeFootage(school.config, reg, { now: NOW });
    expect(purge.deleted.files).toBeGreaterThan(100);
    const before = await reg.verifyAudit();
    await reg.close();

    const url = await newDatabase();
    const migrated = await toezicht(['register', 'migrate', '--config', school.configFile, '--to', url, '--json'], { env: env() });
    expect(migrated.exitCode).toBe(0);
    expect(migrated.json.verified).toEqual({ ok: true, entries: before.entries + 1 });
    expect(migrated.json.copiedThrough.seq).toBe(before.entries);

    // Into a database that holds a register already: refused, nothing copied.
    const again = await toezicht(['register', 'migrate', '--config', school.configFile, '--to', url, '--json'], { env: env() });
    expect(again.exitCode).toBe(2);
    expect(again.json.error.message).toMatch(/already holds a register/);

    // The config now points at the server: the same holds, the same deletion records, a chain that verifies.
    const cfg = parse(readFileSync(school.configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(school.configFile, stringify({ ...cfg, register: url }));
    const verify = await toezicht(['audit', 'verify', '--config', school.configFile, '--json'], { env: env() });
    expect(verify.exitCode).toBe(0);
    expect(verify.json.entries).toBe(before.entries + 1);
    const holds = await toezicht(['footage', 'hold', 'list', '--config', school.configFile, '--json'], { env: env() });
    expect(holds.json.holds.map((h: { id: string }) => h.id)).toEqual([hold.id]);
    // The server register goes on where the file stopped: a new purge run numbers on and the chain still verifies.
    writeFiles(root, [frigatePath('entree', NOW - 40 * DAY)]);
    const purge2 = await toezicht(['footage', 'purge', '--config', school.configFile, '--now', new Date(NOW).toISOString(), '--json'], { env: env() });
    expect(purge2.exitCode).toBe(0);
    expect(purge2.json.deleted.files).toBe(1);
    expect(purge2.json.runId).toBe(purge.runId! + 1);
    const verify2 = await toezicht(['audit', 'verify', '--config', school.configFile, '--json'], { env: env() });
    expect(verify2.exitCode).toBe(0);
  }, 120_000);
});
