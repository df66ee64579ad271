// The parts of doctor that read the machine or look ahead in time, on real files and a real register: where the
// nightly purge is scheduled, holds open too long, evidence packages whose lifetime ends.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { holdChecks, exportChecks } from '../../../src/core/doctor/lifetimes.js';
import { clockCheck } from '../../../src/core/doctor/system.js';
import { scheduleCheck, type SchedulePlaces } from '../../../src/core/doctor/index.js';
import { makeSchool, tempDir, type SchoolFixture } from '../../helpers/school.js';

const DAY = 86_400_000;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function places(files: Record<string, string>, crontab?: string): SchedulePlaces {
  const { dir, cleanup } = tempDir('toezicht-sched-');
  cleanups.push(cleanup);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return {
    cronFiles: [path.join(dir, 'crontab'), path.join(dir, 'cron.d/toezicht')],
    systemdDirs: [path.join(dir, 'systemd')],
    userCrontab: async () => crontab,
  };
}

describe('scheduleCheck', () => {
  const CONFIG = '/etc/toezicht/toezicht.config.yaml';

  it('warns when neither cron nor systemd runs the purge (a commented line does not count)', async () => {
    const r = await scheduleCheck(places({ 'cron.d/toezicht': '# 15 2 * * * toezicht footage purge --quiet\n' }, 'MAILTO=x\n'), CONFIG);
    expect(r).toMatchObject({ status: 'warn', key: 'schedule.missing' });
  });

  it("finds the cron line in /etc/cron.d and in the user's crontab", async () => {
    const line = `15 2 * * *  toezicht  toezicht footage purge --config ${CONFIG} --quiet`;
    expect(await scheduleCheck(places({ 'cron.d/toezicht': `${line}\n` }), CONFIG)).toMatchObject({ status: 'ok', key: 'schedule.found', params: { line } });
    expect(await scheduleCheck(places({}, '15 2 * * * toezicht footage purge --quiet\n'), CONFIG)).toMatchObject({ status: 'ok', params: { where: 'crontab -l' } });
  });

  it('finds a systemd service with its timer, and warns about a service without one', async () => {
    const service = `[Service]\nExecStart=/usr/local/bin/toezicht footage purge --config ${CONFIG} --quiet\n`;
    const both = places({ 'systemd/toezicht-purge.service': service, 'systemd/toezicht-purge.timer': '[Timer]\nOnCalendar=*-*-* 02:15:00\n' });
    expect(await scheduleCheck(both, CONFIG)).toMatchObject({ status: 'ok', key: 'schedule.found' });
    const alone = places({ 'systemd/toezicht-purge.service': service });
    expect(await scheduleCheck(alone, CONFIG)).toMatchObject({ status: 'warn', key: 'schedule.service-without-timer' });
  });

  it('warns when the nightly line names another config than the one checked', async () => {
    const r = await scheduleCheck(places({ crontab: '15 2 * * * root toezicht footage purge --config /srv/other.yaml --quiet\n' }), CONFIG);
    expect(r).toMatchObject({ status: 'warn', key: 'schedule.other-config', params: { named: '/srv/other.yaml', config: CONFIG } });
  });
});

describe('holds and exports ahead', () => {
  let school: SchoolFixture;
  afterEach(() => school?.cleanup());

  it('names a hold open longer than the review period, not a younger one', async () => {
    school = await makeSchool({ school: { name: 'X' }, cameras: [{ id: 'entree', category: 'surveillance' }] });
    const register = school.register();
    const hold = await register.addHold({ caseRef: 'Incident 2026-14', reason: 'Diefstal', cameras: ['entree'], from: Date.now() - DAY, to: Date.now() });
    const now = Date.now();
    expect(await holdChecks(register, { now, soonDays: 7, longHoldDays: 90 })).toEqual([expect.objectContaining({ status: 'ok', params: { active: 1 } })]);
    const later = await holdChecks(register, { now: now + 100 * DAY, soonDays: 7, longHoldDays: 90 });
    expect(later).toEqual([expect.objectContaining({ status: 'warn', key: 'holds.long', params: expect.objectContaining({ hold: hold.id, days: 100 }) })]);
    await register.releaseHold(hold.id, 'Zaak afgesloten');
    expect(await holdChecks(register, { now: now + 100 * DAY, soonDays: 7, longHoldDays: 90 })).toEqual([expect.objectContaining({ status: 'ok', params: { active: 0 } })]);
  });

  it('names an evidence package that expires within the week, and one that has expired', async () => {
    school = await makeSchool({ school: { name: 'X' }, cameras: [{ id: 'entree', category: 'surveillance' }] });
    const register = school.register();
    const now = Date.now();
    const record = await register.beginExport({ caseRef: 'I-1', cameras: ['entree'], from: now - DAY, to: now, outDir: school.dir, paths: (id) => ({ packageDir: path.join(school.dir, id), workDir: path.join(school.dir, `.${id}`) }), encrypted: false });
    await register.completeExport(record.id, { manifestSha256: 'a'.repeat(64), bytes: 1, keepUntil: now + 3 * DAY, audit: {} });
    const o = { soonDays: 7, longHoldDays: 90 };
    expect(await exportChecks(register, { ...o, now: now - 30 * DAY })).toEqual([expect.objectContaining({ status: 'ok', params: { count: 1 } })]);
    expect(await exportChecks(register, { ...o, now })).toEqual([expect.objectContaining({ status: 'warn', key: 'exports.soon', params: expect.objectContaining({ export: record.id, caseRef: 'I-1' }) })]);
    expect(await exportChecks(register, { ...o, now: now + 4 * DAY })).toEqual([expect.objectContaining({ status: 'warn', key: 'exports.expired' })]);
  });
});

describe('clockCheck', () => {
  // This machine has neither chrony nor a running systemd: a stand-in chronyc (as `chronyc -n tracking` prints) on PATH.
  async function withChronyc(output: string): Promise<Awaited<ReturnType<typeof clockCheck>>> {
    const { dir, cleanup } = tempDir('toezicht-clock-');
    cleanups.push(cleanup);
    const bin = path.join(dir, 'chronyc');
    writeFileSync(bin, `#!/bin/sh\ncat <<'OUT'\n${output}\nOUT\n`);
    chmodSync(bin, 0o755);
    const saved = process.env.PATH;
    process.env.PATH = `${dir}:${saved}`;
    try {
      return await clockCheck();
    } finally {
      process.env.PATH = saved;
    }
  }
  const tracking = (offset: string): string => `Reference ID    : C0A80001 (ntp.school.nl)\nStratum         : 3\nSystem time     : ${offset} of NTP time\nLast offset     : +0.000012 seconds`;

  it('is ok within a second of NTP time, warns beyond, fails beyond a minute', async () => {
    expect(await withChronyc(tracking('0.000231 seconds slow'))).toMatchObject({ status: 'ok', key: 'clock.offset', params: { ms: 0, tool: 'chronyc' } });
    expect(await withChronyc(tracking('2.500000 seconds fast'))).toMatchObject({ status: 'warn', key: 'clock.off', params: { ms: 2500 } });
    expect(await withChronyc(tracking('95.000000 seconds slow'))).toMatchObject({ status: 'fail', key: 'clock.off' });
  });

  it('says it cannot tell when no tool answers', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(await clockCheck()).toMatchObject({ status: 'warn', key: 'clock.unknown' });
    } finally {
      process.env.PATH = saved;
    }
  });
});
