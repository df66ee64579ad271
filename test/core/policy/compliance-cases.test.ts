// The compliance check reads locations and purposes as schools write them: every row of
// test/fixtures/compliance-cases.tsv is one camera in an otherwise compliant school, with the verdict it must get.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCompliance } from '../../../src/core/policy/compliance/index.js';
import { fixtureObject, FULL_CONFIG, resolve } from '../../helpers/documents.js';

const CASES = readFileSync(path.resolve(import.meta.dirname, '../../fixtures/compliance-cases.tsv'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'))
  .map((line) => {
    const [category, location, purpose, expected] = line.split('\t');
    return { category: category!, location: location!, purpose: purpose!, expected: expected!.trim() };
  });

const NOW = Date.parse('2026-10-15T10:00:00+02:00');

function verdict(c: (typeof CASES)[number]): string {
  const settings = fixtureObject(FULL_CONFIG);
  const camera: Record<string, unknown> = { id: 'cam', category: c.category, storage: 'nas1' };
  if (c.location) camera.location = c.location;
  if (c.purpose) camera.purpose = c.purpose;
  if (c.category === 'covert') {
    camera.authorisation = { decision: 'CvB 2026-41', decidedOn: '2026-10-01', suspicion: 'Herhaalde diefstal', from: '2026-10-05', until: '2026-11-30', fgAdvice: { date: '2026-10-01' }, staffConsent: { date: '2026-09-30' } };
  }
  settings.cameras = [camera];
  const findings = checkCompliance(resolve(settings), { now: NOW, versions: { dpia: { version: 1, createdAt: '2026-10-01T08:00:00Z' } } }).findings.filter((f) => f.subject === 'cam');
  return findings.length ? findings.map((f) => `${f.severity} ${f.rule}`).sort().join('; ') : 'ok';
}

describe('the compliance check on locations and purposes as schools write them', () => {
  it('has at least 40 cases, of every kind of verdict', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    for (const rule of ['camera.forbidden-place', 'camera.near-forbidden-place', 'camera.staff-monitoring', 'camera.assessment-purpose', 'camera.classroom-lessons', 'camera.public-road']) {
      expect(CASES.some((c) => c.expected.includes(rule))).toBe(true);
    }
    expect(CASES.filter((c) => c.expected === 'ok').length).toBeGreaterThanOrEqual(10);
  });

  it.each(CASES.map((c) => [`${c.category}: "${c.location}" for "${c.purpose}"`, c] as const))('%s', (_name, c) => {
    expect(verdict(c)).toBe(c.expected);
  });
});
