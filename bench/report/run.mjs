// bench/report: the accountability report of a board — 30 schools, 300 cameras, a year of nightly purges (one
// deletion batch per camera per night, written through the register's purge API), 2,000 exports, holds and
// requests — gathered and rendered per format. Baseline in the same run: gathering the model alone (--json's work).
//   npm run build && node bench/report/run.mjs [--schools 30] [--cameras 300] [--exports 2000] [--runs 3]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { schools: { type: 'string', default: '30' }, cameras: { type: 'string', default: '300' }, exports: { type: 'string', default: '2000' }, runs: { type: 'string', default: '3' } } });
const nSchools = Number(values.schools);
const nCameras = Number(values.cameras);
const nExports = Number(values.exports);
const runs = Number(values.runs);

const { loadConfig } = await import(path.join(repo, 'dist/core/config/index.js'));
const { openRegister } = await import(path.join(repo, 'dist/core/register/index.js'));
const { createRegister } = await import(path.join(repo, 'dist/core/setup/index.js'));
const { gatherReport, makeReport } = await import(path.join(repo, 'dist/core/report/index.js'));
const { messages } = await import(path.join(repo, 'dist/cli/messages.js'));

const DAY = 86_400_000;
const dir = mkdtempSync(path.join(tmpdir(), 'toezicht-bench-report-'));
const perSchool = Math.ceil(nCameras / nSchools);
const schools = Array.from({ length: nSchools }, (_, s) => ({
  id: `s${s}`,
  name: `School ${s}`,
  storage: [{ id: `s${s}-nas`, type: 'fs', root: `./s${s}`, layout: 'frigate' }],
  cameras: Array.from({ length: perSchool }, (_, c) => ({ id: `s${s}-cam${c}`, category: 'surveillance', storage: `s${s}-nas` })).slice(0, Math.max(0, Math.min(perSchool, nCameras - s * perSchool))),
}));
const file = path.join(dir, 'toezicht.config.yaml');
writeFileSync(file, stringify({ school: { name: 'Stichting Bench' }, schools }));
const { config } = await loadConfig({ file });
await createRegister(config);
const { register } = openRegister(config.register);

const year = 2026;
const from = Date.UTC(year, 0, 1) - 3_600_000;
const to = Date.UTC(year + 1, 0, 1) - 3_600_000;
const now = Date.UTC(year, 11, 31, 12);
const pad = (n) => String(n).padStart(2, '0');
const frigate = (camera, ms) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}/${pad(d.getUTCHours())}/${camera}/${pad(d.getUTCMinutes())}.${pad(d.getUTCSeconds())}.mp4`;
};

const t0 = performance.now();
// The last 28 days on storage: one segment per camera per day.
for (const s of schools) {
  for (const c of s.cameras) {
    for (let d = 0; d < 28; d++) {
      const f = path.join(dir, s.id, frigate(c.id, now - d * DAY));
      mkdirSync(path.dirname(f), { recursive: true });
      writeFileSync(f, 'x');
    }
  }
}
// A year of nightly purges: each deletes the day that passed the 28-day line, for every camera.
const cameras = config.cameras;
for (let night = 0; night < 365; night++) {
  const runNow = Date.UTC(year, 0, 1, 2) + night * DAY;
  const runId = await register.beginPurgeRun({ now: runNow, options: {} });
  const version = await register.holdsVersion();
  let files = 0;
  for (const c of cameras) {
    const start = runNow - 29 * DAY;
    const batch = await register.planBatch(runId, { storage: `${c.school}-nas`, dir: 'x', camera: c.id, names: ['a.mp4', 'b.mp4'], bytes: 2_000_000, firstStart: start, lastEnd: start + DAY }, version);
    await register.completeBatch(batch, ['a.mp4', 'b.mp4'], 2_000_000);
    files += 2;
  }
  await register.finishPurgeRun(runId, { status: 'done', counts: { now: new Date(runNow).toISOString(), deletedFiles: files, deletedBytes: files * 1_000_000 } });
}
for (let i = 0; i < nExports; i++) {
  const c = cameras[i % cameras.length];
  const out = path.join(dir, 'exports');
  const rec = await register.beginExport({ caseRef: `INC-${i}`, reason: 'incident', cameras: [c.id], from: now - 5 * DAY, to: now - 5 * DAY + 600_000, outDir: out, paths: (id) => ({ packageDir: path.join(out, id), workDir: path.join(out, `.${id}`) }), encrypted: false });
  await register.completeExport(rec.id, { manifestSha256: 'a'.repeat(64), bytes: 1000, keepUntil: now + 30 * DAY, audit: { case: `INC-${i}`, recipient: 'Politie', legalBasis: 'art. 6 lid 1 f AVG', cameras: [c.id] } });
}
for (let i = 0; i < 60; i++) {
  const c = cameras[(i * 7) % cameras.length];
  const h = await register.addHold({ caseRef: `HOLD-${i}`, reason: 'incident', cameras: [c.id], from: now - 20 * DAY, to: now - 19 * DAY });
  if (i % 2) await register.releaseHold(h.id, 'done');
}
for (let i = 0; i < 100; i++) {
  const received = `${year}-${pad(1 + (i % 12))}-${pad(1 + (i % 27))}`;
  await register.addRightsRequest({ type: 'access', requester: 'x', relation: 'self', subject: 'x', cameras: [cameras[i % cameras.length].id], receivedOn: received, dueOn: received.replace(/-(\d\d)-/, (_, m) => `-${pad(Math.min(12, Number(m) + 1))}-`), audit: {} });
}
console.log(`built: ${nSchools} schools, ${cameras.length} cameras, 365 nights × ${cameras.length} batches, ${nExports} exports in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const words = messages('report', 'en');
const text = (k, v) => words.get(k, v);
const median = async (fn) => {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
};
const options = { from, to, now, lang: 'en' };
await gatherReport(config, register, options); // warm up
const base = await median(() => gatherReport(config, register, options));
console.log(`median of ${runs} runs; the machine is shared and loaded by other work`);
console.log(`model (--json)  ${(base / 1000).toFixed(2).padStart(6)} s (baseline)`);
for (const format of ['md', 'html', 'pdf']) {
  let size = 0;
  const ms = await median(async () => {
    const r = await makeReport(config, register, { ...options, format, text });
    size = r.files.reduce((n, f) => n + f.content.length, 0);
  });
  console.log(`${format.padEnd(15)} ${(ms / 1000).toFixed(2).padStart(6)} s  ratio ${(ms / base).toFixed(2)}  ${(size / 1e6).toFixed(1)} MB  ${ms <= 10_000 ? 'within' : 'OVER'} 10 s`);
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await register.close();
rmSync(dir, { recursive: true, force: true });
