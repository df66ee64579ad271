// `npm run demo`: a demo school in ./demo-school with real (short) video segments made by ffmpeg,
// spanning more than the 4-week retention, one incident under a hold and exported for the police, a parent's request
// to see her daughter's footage (review, a copy with the other pupils redacted, the answer letter); then the nightly
// job on it.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// Each command is echoed as it can be pasted into a shell (arguments with spaces or quotes in single quotes).
import { quote } from './shell-quote.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(process.argv[2] ?? path.join(repo, 'demo-school'));
const bin = path.join(repo, 'bin', 'run.js');
const marker = path.join(dir, '.toezicht-demo');

if (!existsSync(path.join(repo, 'dist')) || !existsSync(path.join(repo, 'oclif.manifest.json'))) {
  execFileSync(process.execPath, [path.join(repo, 'scripts', 'build.mjs')], { cwd: repo, stdio: 'inherit' });
}
const { resolveTool, runTool } = await import(path.join(repo, 'dist/core/media/index.js'));

if (existsSync(dir)) {
  if (!existsSync(marker)) {
    console.error(`${dir} exists and is not a demo school made by this script; pass another folder: npm run demo -- /tmp/demo`);
    process.exit(2);
  }
  rmSync(dir, { recursive: true, force: true });
}
mkdirSync(dir, { recursive: true });
writeFileSync(marker, 'made by npm run demo; safe to delete\n');

// Colour only on a terminal and without NO_COLOR, like the CLI itself.
const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (tty ? `\u001b[1m${s}\u001b[0m` : s);
const dim = (s) => (tty ? `\u001b[2m${s}\u001b[0m` : s);
const shell = (line) => console.log(dim(`$ ${line}`));
const step = (title) => console.log(`\n${bold(`── ${title}`)}`);
const toezicht = (...args) => {
  shell(`toezicht ${args.map(quote).join(' ')}`);
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, stdio: 'inherit' });
  return r.status;
};

step('Making video segments with ffmpeg');
const ffmpeg = resolveTool('ffmpeg');
console.log(`ffmpeg: ${ffmpeg.path} (${ffmpeg.source})`);
const clips = path.join(dir, '.clips');
mkdirSync(clips);
const sources = { entree: 'testsrc2', aula: 'smptebars', fietsen: 'rgbtestsrc' };
for (const [camera, source] of Object.entries(sources)) {
  await runTool(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `${source}=size=320x180:rate=10`, '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', path.join(clips, `${camera}.mp4`)]);
}

// 35 days of footage, one segment an hour per camera (a real recorder writes many more; the purge does not care).
const now = Date.now();
const HOUR = 3_600_000;
const pad = (n) => String(n).padStart(2, '0');
const frigate = (camera, t) => {
  const d = new Date(t);
  return path.join('recordings', `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`, pad(d.getUTCHours()), camera, `${pad(d.getUTCMinutes())}.${pad(d.getUTCSeconds())}.mp4`);
};
const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const synology = (camera, t) => {
  const p = Object.fromEntries(local.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  const date = `${p.year}${p.month}${p.day}`;
  return path.join('surveillance', camera, `${date}${Number(p.hour) < 12 ? 'AM' : 'PM'}`, `${camera}-${date}-${p.hour}${p.minute}${p.second}-${Math.floor(t / 1000)}.mp4`);
};
let files = 0;
for (let t = Math.floor((now - 35 * 24 * HOUR) / HOUR) * HOUR; t < now; t += HOUR) {
  for (const [camera, rel] of [['entree', frigate('entree', t)], ['aula', frigate('aula', t)], ['Fietsen', synology('Fietsen', t)]]) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    copyFileSync(path.join(clips, `${camera.toLowerCase()}.mp4`), file);
    files++;
  }
}
console.log(`${files} segments in ${dir}`);

// The incident 30 days ago: two minutes of continuous 10-second segments at the main entrance, as Frigate writes them.
const incidentStart = Math.floor((now - 30 * 24 * HOUR) / HOUR) * HOUR + 10 * 60_000;
const dense = path.join(clips, 'incident');
mkdirSync(dense);
await runTool(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10', '-t', '120', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '20', '-pix_fmt', 'yuv420p', '-f', 'segment', '-segment_time', '10', '-reset_timestamps', '1', path.join(dense, '%02d.mp4')]);
for (let i = 0; i < 12; i++) {
  const file = path.join(dir, frigate('entree', incidentStart + i * 10_000));
  mkdirSync(path.dirname(file), { recursive: true });
  copyFileSync(path.join(dense, `${pad(i)}.mp4`), file);
}

// A data-subject request 29 days ago: three seconds in the aula with two people in view (faces from the photos in the
// @vladmandic/face-api package moving over a corridor, as the redaction tests use them). Sanne is the first.
const { renderScene, coverage } = await import(path.join(repo, 'test', 'helpers', 'face-scene.mjs'));
const requestStart = Math.floor((now - 29 * 24 * HOUR) / HOUR) * HOUR + 20 * 60_000;
const SCENE = { width: 640, height: 360, fps: 25, seconds: 3 };
const sceneFile = path.join(dir, frigate('aula', requestStart));
mkdirSync(path.dirname(sceneFile), { recursive: true });
const { truth } = await renderScene({
  file: sceneFile,
  ...SCENE,
  actors: [
    { face: 3, keys: [{ t: 0, x: 60, y: 150, h: 70 }, { t: 3, x: 380, y: 160, h: 74 }] },
    { face: 9, keys: [{ t: 0, x: 500, y: 240, h: 64 }, { t: 3, x: 490, y: 236, h: 66 }] },
  ],
});

writeFileSync(
  path.join(dir, 'toezicht.config.yaml'),
  `# Demo school made by \`npm run demo\`.
school: { name: "Demoschool De Linde", board: "Stichting Voorbeeld Onderwijs", timezone: Europe/Amsterdam, email: info@demoschool.nl, phone: "010 123 45 67" }
register: .toezicht/register.db
storage:
  - { id: nas1, type: fs, root: ./recordings, layout: frigate }
  - { id: syno, type: fs, root: ./surveillance, layout: synology, segmentSeconds: 3600 }
cameras:
  - { id: entree, name: Hoofdingang, location: "Hoofdingang, binnen", purpose: "Toegang en inbraak", category: surveillance, storage: nas1 }
  - { id: aula, name: Aula, location: "Aula, overzicht", purpose: "Vernieling en diefstal", category: surveillance, storage: nas1 }
  - { id: fietsen, name: Fietsenstalling, location: "Fietsenstalling, buiten", purpose: "Fietsdiefstal", category: surveillance, storage: syno, path: Fietsen }
retention: { surveillance: P28D, online-lesson: P10M, livestream: P14D, media: school-year }
# Who may export footage (seed 001 §1.2: the beheerder and the school management), and where packages go.
access: { export: [${JSON.stringify(userInfo().username)}] }
exports: { root: ./exports }
# What the regulation, the DPIA and the sign say (docs/documents.md).
privacy:
  purposes: ["het voorkomen en vastleggen van inbraak, diefstal en vernieling", "het opsporen van ernstig pestgedrag"]
  legitimateInterest: de veiligheid van leerlingen en medewerkers en de bescherming van eigendommen
  fg: { name: "M. de Boer", organisation: "Privacybureau Voorbeeld", email: fg@voorbeeld.nl }
  beheerder: { name: "J. Bakker", organisation: "Beeldbeheer Voorbeeld B.V.", external: true, processorAgreement: { date: 2026-01-15, reference: VWO-12 } }
  consent: { body: MR, date: 2026-02-01 }
  signage: { confirmed: true }
  safetyPolicy: Veiligheidsplan 2026
  securityPlan: Beveiligingsplan camerasysteem
  complaints: { contact: "de schooldirectie, directie@demoschool.nl" }
  information: { url: https://www.demoschool.nl/camerareglement, place: bij de administratie }
  practices: [online-lesson, media]
documents:
  reglement: { status: concept }
`,
);
writeFileSync(
  path.join(dir, 'dpia-answers.yaml'),
  `# DPIA answers of the demo school (toezicht dpia generate asks them on a terminal and writes this file).
description: Na inbraken en fietsdiefstallen wil de school de ingang, de aula en de fietsenstalling beveiligen.
necessity: Toezicht door medewerkers dekt de avonden en weekenden niet.
alternatives: [betere verlichting, een hek om de fietsenstalling]
proportionality: Alleen ingangen, aula en fietsenstalling; geen geluid; beelden na 4 weken gewist.
dataSubjectsViews: De leerlingenraad is gehoord en vroeg om geen camera's in de lokalen.
fgAdvice: { date: 2026-01-20, summary: Positief. }
decision: { by: College van Bestuur, date: 2026-02-09 }
`,
);

step('Setting up: config and register');
toezicht('init');
toezicht('config', 'validate');

step('An incident 30 days ago: a bicycle stolen; its footage must outlive the 4-week purge');
const incident = new Date(now - 30 * 24 * HOUR);
const from = new Date(Math.floor(incident.getTime() / HOUR) * HOUR);
const to = new Date(from.getTime() + 3 * HOUR);
toezicht('footage', 'hold', 'add', '--camera', 'fietsen', '--camera', 'entree', '--from', from.toISOString(), '--to', to.toISOString(), '--case', 'Incident 2026-14', '--reason', 'Fietsdiefstal, aangifte bij de politie');

step("The school's signing key for evidence packages (once)");
toezicht('keys', 'init');

step('The police ask for the footage: an evidence package, with a hold, a signed manifest and a proces-verbaal');
const exportFrom = new Date(incidentStart + 15_000).toISOString();
const exportTo = new Date(incidentStart + 75_000).toISOString();
toezicht('footage', 'export', '--camera', 'entree', '--from', exportFrom, '--to', exportTo, '--case', 'Incident 2026-14', '--reason', 'Fietsdiefstal, aangifte bij de politie', '--legal-basis', 'art. 6 lid 1 onder f AVG (eigen initiatief, bij aangifte)', '--recipient', 'Politie Zaandam, brigadier De Vries');
const exportsDir = path.join(dir, 'exports');
const [packageId] = readdirSync(exportsDir).filter((n) => n.startsWith('E-'));
step('What the receiver checks, with standard tools or with toezicht');
shell(`cd exports/${packageId} && sha256sum -c SHA256SUMS`);
spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: path.join(exportsDir, packageId), stdio: 'inherit' });
toezicht('footage', 'verify', path.join('exports', packageId));
shell(`head -30 exports/${packageId}/proces-verbaal.txt`);
console.log(readFileSync(path.join(exportsDir, packageId, 'proces-verbaal.txt'), 'utf8').split('\n').slice(0, 30).join('\n'));
toezicht('footage', 'exports');

step('A parent asks to see the footage of her daughter in the aula (a data-subject request, AVG art. 15)');
const reqFrom = new Date(requestStart).toISOString();
const reqTo = new Date(requestStart + SCENE.seconds * 1000).toISOString();
toezicht('rights', 'request', '--type', 'access', '--requester', 'Jolanda de Vries', '--relation', 'parent', '--subject', 'Sanne de Vries', '--subject-birthdate', '2014-03-02', '--camera', 'aula', '--from', reqFrom, '--to', reqTo, '--description', 'Sanne werd in de aula geduwd', '--format', 'md', '--format', 'pdf');
const requestId = readdirSync(path.join(dir, 'rights')).find((n) => n.startsWith('R-'));
step('Her identity and parental authority are checked at the desk (no copy of her passport is kept)');
toezicht('rights', 'verify-identity', requestId, '--method', 'Paspoort getoond aan de balie, niet gekopieerd; gezag gecontroleerd in de leerlingenadministratie');
step('Other pupils must not be recognisable: first the redaction review (plan and contact sheet)');
toezicht('rights', 'fulfil', requestId, '--plan-only');
// The privacy officer looks at the contact sheet and recognises Sanne; here the scene's ground truth stands in for her eyes.
const reviewDir = path.join(exportsDir, readdirSync(exportsDir).find((n) => n.endsWith('-review')));
const plan = JSON.parse(readFileSync(path.join(reviewDir, readdirSync(reviewDir).find((n) => n.endsWith('.redaction-plan.json'))), 'utf8'));
const { boxAt } = await import(path.join(repo, 'dist/core/redaction/index.js'));
const votes = new Map();
truth.forEach((here, f) => {
  for (const g of here.filter((x) => x.actor === 0))
    for (const t of plan.tracks) {
      const b = boxAt(t, f);
      if (b && coverage(g.box, [b], SCENE.width, SCENE.height, 2).share > 0.5) votes.set(t.id, (votes.get(t.id) ?? 0) + 1);
    }
});
const sanne = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? plan.tracks[0]?.id ?? 'f1';
console.log(`The privacy officer opens ${path.relative(dir, reviewDir)}/*.contact-sheet.png and sees that Sanne is track ${sanne}.`);
step(`The copy for the parent: Sanne (track ${sanne}) visible, everyone else a mosaic`);
toezicht('rights', 'fulfil', requestId, '--keep-track', sanne);
toezicht('rights', 'list');

step('What is on storage now (footage older than 4 weeks is an error)');
toezicht('footage', 'status');
step('The nightly job, first as a dry run');
toezicht('footage', 'purge', '--dry-run');
step('The nightly job');
toezicht('footage', 'purge');
step('After the purge');
toezicht('footage', 'status');
toezicht('footage', 'hold', 'list');
step('The request is answered: the answer letter, the hold released, on time');
toezicht('rights', 'close', requestId, '--outcome', 'granted', '--reason', 'U ontvangt de beelden van Sanne; andere leerlingen zijn onherkenbaar gemaakt.', '--format', 'md', '--format', 'pdf');
shell(`sed -n 14,30p rights/${requestId}/${requestId}-antwoord-nl.md`);
console.log(readFileSync(path.join(dir, 'rights', requestId, `${requestId}-antwoord-nl.md`), 'utf8').split('\n').slice(13, 30).join('\n'));
toezicht('rights', 'show', requestId);

step('The documents: what the compliance check still finds, the DPIA, the regulation and its companions');
toezicht('compliance', 'check', '--lang', 'nl');
toezicht('dpia', 'generate', '--answers', 'dpia-answers.yaml', '--format', 'docx', '--format', 'pdf');
toezicht('reglement', 'render', '--format', 'md', '--format', 'docx', '--format', 'pdf');
toezicht('reglement', 'history');
step('The audit chain, and every disclosure for the privacy officer');
toezicht('audit', 'log');
toezicht('audit', 'verify');
toezicht('audit', 'export', '--csv');
step('The accountability report for the privacy officer, the board and the MR (docs/report.md)');
toezicht('report', '--from', new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10), '--format', 'pdf', '--out', 'report', '--lang', 'nl');
console.log(`\nThe documents are in ${path.join(dir, 'documents')}.`);
console.log(`\nThe demo school is in ${dir}. Try: cd ${path.relative(process.cwd(), dir) || '.'} && node ${path.relative(dir, bin)} --help`);
