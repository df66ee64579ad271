// bench/documents: rendering the regulation and the DPIA for a school with many cameras, per format, against the
// Markdown of the same model (the baseline: template, Markdown parse and model, no layout) in the same run.
//   npm run build && node bench/documents/run.mjs [--cameras 200] [--runs 3]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify, parse } from 'yaml';
import { readFileSync } from 'node:fs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { cameras: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' } } });
const cameras = Number(values.cameras);
const runs = Number(values.runs);

const { loadConfig } = await import(path.join(repo, 'dist/core/config/index.js'));
const { openRegister } = await import(path.join(repo, 'dist/core/register/index.js'));
const { renderDocuments, readAnswers } = await import(path.join(repo, 'dist/core/documents/index.js'));
const { createRegister } = await import(path.join(repo, 'dist/core/setup/index.js'));

const dir = mkdtempSync(path.join(tmpdir(), 'toezicht-bench-docs-'));
const settings = parse(readFileSync(path.join(repo, 'test/fixtures/documents/full.config.yaml'), 'utf8'));
settings.cameras = Array.from({ length: cameras }, (_, i) => ({
  id: `cam${i}`,
  name: `Camera ${i}`,
  location: `Gang ${Math.floor(i / 10)}, vleugel ${i % 4}: deuren en kluisjes`,
  purpose: 'Diefstal uit kluisjes en vernieling',
  category: 'surveillance',
  storage: 'nas1',
}));
// A concept: an adopted regulation is refused until the DPIA it cites exists, and the bench renders both at once.
settings.documents.reglement.status = 'concept';
const file = path.join(dir, 'toezicht.config.yaml');
writeFileSync(file, stringify(settings));
const { config } = await loadConfig({ file });
await createRegister(config);
const { register } = openRegister(config.register);
const answers = readAnswers(path.join(repo, 'test/fixtures/documents/dpia-answers.yaml'));

const time = async (format) => {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await renderDocuments(config, register, { documents: ['reglement', 'dpia'], formats: [format], langs: ['nl'], outDir: path.join(dir, 'out'), answers });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
};

await time('md'); // warm up: modules, fonts, the register
const md = await time('md');
console.log(`${cameras} cameras, regulation + DPIA in Dutch, median of ${runs} runs`);
console.log(`md    ${md.toFixed(0).padStart(6)} ms (baseline)`);
for (const format of ['html', 'docx', 'pdf']) {
  const ms = await time(format);
  console.log(`${format.padEnd(5)} ${ms.toFixed(0).padStart(6)} ms  ratio ${(ms / md).toFixed(2)}`);
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
register.close();
rmSync(dir, { recursive: true, force: true });
