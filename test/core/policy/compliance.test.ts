import { describe, expect, it } from 'vitest';
import { checkCompliance, RULES, type ComplianceContext } from '../../../src/core/policy/compliance/index.js';
import { fixtureObject, FULL_CONFIG, resolve } from '../../helpers/documents.js';

// A day inside every period of the full example: the covert authorisation runs, no revision date has passed.
const NOW = Date.parse('2026-10-15T10:00:00+02:00');
const CONTEXT: ComplianceContext = { now: NOW, versions: { dpia: { version: 1, createdAt: '2026-10-01T08:00:00Z' } } };
type Settings = ReturnType<typeof fixtureObject>;

function findings(mutate: (s: Settings) => void = () => {}, context: ComplianceContext = CONTEXT) {
  const settings = fixtureObject(FULL_CONFIG);
  mutate(settings);
  return checkCompliance(resolve(settings), context).findings;
}
const camera = (s: Settings, id: string) => s.cameras.find((c: { id: string }) => c.id === id);

/** For each rule, a change to the compliant example school that must set it off. */
const TRIGGERS: Record<string, { change: (s: Settings) => void; context?: ComplianceContext; subject?: string }> = {
  'fg.missing': { change: (s) => delete s.privacy.fg },
  'fg.contact-missing': { change: (s) => (s.privacy.fg = { name: 'A. Jansen' }) },
  'consent.missing': { change: (s) => delete s.privacy.consent },
  'retention.beyond-guideline': { change: (s) => delete s.privacy.retentionJustification, subject: 'retention.livestream' },
  'retention.coaching-missing': { change: (s) => { delete s.retention.coaching; s.cameras.push({ id: 'coach', name: 'Lokaal 12', location: 'Lokaal 12', purpose: 'Coaching', category: 'coaching' }); } },
  'camera.purpose-missing': { change: (s) => delete camera(s, 'aula').purpose, subject: 'aula' },
  'camera.location-missing': { change: (s) => delete camera(s, 'aula').location, subject: 'aula' },
  'camera.forbidden-place': { change: (s) => (camera(s, 'aula').location = 'Kleedkamer jongens, gymzaal'), subject: 'aula' },
  'camera.assessment-purpose': { change: (s) => (camera(s, 'aula').purpose = 'Beoordelen van het gedrag van leerlingen'), subject: 'aula' },
  'purposes.missing': { change: (s) => delete s.privacy.purposes },
  'covert.no-authorisation': { change: (s) => delete camera(s, 'gymzaal-ingang').authorisation, subject: 'gymzaal-ingang' },
  'covert.no-suspicion': { change: (s) => delete camera(s, 'gymzaal-ingang').authorisation.suspicion, subject: 'gymzaal-ingang' },
  'covert.period-long': { change: (s) => (camera(s, 'gymzaal-ingang').authorisation.until = '2027-06-30'), subject: 'gymzaal-ingang' },
  'covert.ended': { change: () => {}, context: { ...CONTEXT, now: Date.parse('2026-12-01T09:00:00+01:00') }, subject: 'gymzaal-ingang' },
  'beheerder.missing': { change: (s) => delete s.privacy.beheerder },
  'processor.agreement-missing': { change: (s) => delete s.privacy.beheerder.processorAgreement },
  'signage.unconfirmed': { change: (s) => (s.privacy.signage = { confirmed: false }) },
  'audio.on': { change: (s) => (camera(s, 'entree').audio = true), subject: 'entree' },
  'viewers.not-allowed': { change: (s) => s.privacy.viewers.push({ role: 'mentor van de klas' }) },
  'controller.contact-missing': { change: (s) => { delete s.school.email; delete s.school.phone; } },
  'information.missing': { change: (s) => delete s.privacy.information },
  'complaints.missing': { change: (s) => delete s.privacy.complaints },
  'safety-policy.missing': { change: (s) => delete s.privacy.safetyPolicy },
  'security-plan.missing': { change: (s) => delete s.privacy.securityPlan },
  'legal-basis.public-authority': { change: (s) => (s.privacy.legalBasis = 'legitimate-interest') },
  'reglement.not-adopted': { change: (s) => (s.documents.reglement.status = 'concept') },
  'dpia.missing': { change: () => {}, context: { now: NOW, versions: {} } },
  'camera.near-forbidden-place': { change: (s) => (camera(s, 'aula').location = 'Gang voor de toiletten, gericht op de gang'), subject: 'aula' },
  'camera.staff-monitoring': { change: (s) => (camera(s, 'entree').purpose = 'Controle op de aanwezigheid van medewerkers'), subject: 'entree' },
  'camera.classroom-lessons': { change: (s) => (camera(s, 'aula').location = 'Klaslokaal 2.14'), subject: 'aula' },
  'camera.public-road': { change: (s) => (camera(s, 'fietsen').location = 'Fietsenstalling, met zicht op de openbare weg'), subject: 'fietsen' },
  'retention.surveillance-beyond-four-weeks': { change: (s) => { camera(s, 'fietsen').retention = 'P6W'; camera(s, 'fietsen').retentionJustification = 'Aangifte duurt vaak langer'; }, subject: 'fietsen' },
  'covert.no-staff-consent': { change: (s) => delete camera(s, 'gymzaal-ingang').authorisation.staffConsent, subject: 'gymzaal-ingang' },
  'covert.no-fg-advice': { change: (s) => delete camera(s, 'gymzaal-ingang').authorisation.fgAdvice, subject: 'gymzaal-ingang' },
  'covert.advice-predates-decision': { change: () => {}, context: { ...CONTEXT, dpiaSignOff: { decision: '2026-02-09' } }, subject: 'gymzaal-ingang' },
  'dpia.unanswered': { change: () => {}, context: { ...CONTEXT, dpiaUnanswered: ['necessity', 'alternatives'] }, subject: 'documents.dpia' },
  'dpia.contradicts-settings': { change: (s) => (camera(s, 'entree').audio = true), context: { ...CONTEXT, dpiaText: 'De camera\'s nemen geen geluid op.' }, subject: 'documents.dpia' },
  'document.revision-overdue': { change: (s) => (s.documents.reglement.revisionDate = '2026-09-30'), subject: 'documents.reglement' },
};

describe('compliance rules', () => {
  it('find nothing in the example school that meets every rule', () => {
    expect(findings()).toEqual([]);
  });

  it('each have a trigger case below, an id, a source and a message in Dutch and English', () => {
    expect(Object.keys(TRIGGERS).sort()).toEqual(RULES.map((r) => r.id).sort());
    for (const r of RULES) {
      expect(r.source.length).toBeGreaterThan(5);
      expect(r.message.nl).not.toEqual(r.message.en);
      expect(r.message.nl.length).toBeGreaterThan(20);
    }
  });

  for (const rule of RULES) {
    const trigger = TRIGGERS[rule.id];
    it(`${rule.id} (${rule.severity}) is found when it applies, and only then`, () => {
      expect(findings().map((f) => f.rule)).not.toContain(rule.id);
      const found = findings(trigger!.change, trigger!.context).filter((f) => f.rule === rule.id);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ severity: rule.severity, source: rule.source });
      if (trigger!.subject) expect(found[0]!.subject).toBe(trigger!.subject);
      // Placeholders are all filled.
      expect(found[0]!.messages.nl).not.toMatch(/\{\w+\}/);
      expect(found[0]!.messages.en).not.toMatch(/\{\w+\}/);
    });
  }

  it('surveillance kept beyond four weeks: an error without a justification, a warning with one; other categories need only the justification', () => {
    const bare = findings((s) => (camera(s, 'fietsen').retention = 'P6W')).filter((f) => f.subject === 'fietsen');
    expect(bare.map((f) => `${f.severity} ${f.rule}`)).toEqual(['error retention.beyond-guideline']);
    const justified = findings((s) => { camera(s, 'fietsen').retention = 'P6W'; camera(s, 'fietsen').retentionJustification = 'Aangifte duurt vaak langer'; });
    expect(justified.map((f) => `${f.severity} ${f.rule}`)).toEqual(['warning retention.surveillance-beyond-four-weeks']);
    // The example's livestream retention (P21D, beyond 14 days) has its justification: no finding.
    expect(findings().filter((f) => f.subject === 'retention.livestream')).toEqual([]);
  });

  it('cites every source as readers know it, never an internal name', () => {
    for (const r of RULES) expect(r.source).not.toMatch(/seed|LEGAL|checklist|BRIEF|\.md\b|\.txt\b/i);
    expect(RULES.find((r) => r.id === 'retention.beyond-guideline')!.source).toMatch(/OVO-protocol camera en video §1\.4/);
    expect(RULES.find((r) => r.id === 'consent.missing')!.source).toMatch(/WMS art\. 10/);
    expect(RULES.find((r) => r.id === 'dpia.missing')!.source).toMatch(/AVG art\. 35/);
  });

  it('warns when the DPIA\'s FG advice or board decision predates a hidden camera\'s decision, not when they follow it', () => {
    const before = findings((s) => delete camera(s, 'gymzaal-ingang').authorisation.fgAdvice, { ...CONTEXT, dpiaSignOff: { fgAdvice: '2026-01-20', decision: '2026-02-09' } });
    expect(before.filter((f) => f.rule === 'covert.advice-predates-decision').map((f) => f.messages.en)).toEqual([
      expect.stringMatching(/the advice of the FG \(2026-01-20\) predates the decision on this camera \(2026-10-01\)/),
      expect.stringMatching(/the board's decision on the DPIA \(2026-02-09\) predates/),
    ]);
    const after = findings(() => {}, { ...CONTEXT, dpiaSignOff: { fgAdvice: '2026-10-02', decision: '2026-10-03' } });
    expect(after.map((f) => f.rule)).not.toContain('covert.advice-predates-decision');
  });

  it('names the place a camera may never be, and is stricter for hidden cameras (OVO-protocol §5 lid 3)', () => {
    const overt = findings((s) => (camera(s, 'aula').location = 'Kamer van de vertrouwenspersoon'));
    expect(overt.map((f) => f.rule)).not.toContain('camera.forbidden-place');
    const covert = findings((s) => (camera(s, 'gymzaal-ingang').location = 'Kamer van de vertrouwenspersoon'));
    expect(covert.find((f) => f.rule === 'camera.forbidden-place')?.messages.en).toMatch(/vertrouwenspersoon/);
  });

  it('reports in the language asked for, errors first', () => {
    const settings = fixtureObject(FULL_CONFIG);
    delete settings.privacy.fg;
    delete settings.privacy.information;
    const report = checkCompliance(resolve(settings), CONTEXT, { lang: 'nl' });
    expect(report.findings.map((f) => f.severity)).toEqual(['error', 'warning']);
    expect(report.findings[0]!.message).toMatch(/functionaris gegevensbescherming/);
    expect(report).toMatchObject({ errors: 1, warnings: 1 });
  });
});
