// The compliance rules: data, one entry per rule, each with its source. A rule's check returns the places it
// applies to; the messages (nl and en) are filled from each hit's values.
import { RETENTION_GUIDELINES, retentionWarnings, type Category } from '../retention.js';
import { assessesPersons, forbiddenRoom, isClassroom, monitorsStaff, viewsPublicRoad } from './places.js';
import { parseInstant } from '../../time/index.js';
import { revisionDate, revisionOverdue, REVISION_SOURCE } from './revision.js';
import { DOCUMENT_KINDS, type ComplianceCamera, type ComplianceInput, type Hit, type Rule } from './types.js';

const has = (text: string | undefined): boolean => text !== undefined && text.trim() !== '';
const label = (c: ComplianceCamera): string => (c.name ? `${c.id} (${c.name})` : c.id);
const matches = (text: string | undefined, words: readonly string[]): string | undefined => {
  const lower = (text ?? '').toLowerCase();
  return words.find((w) => new RegExp(`(^|[^a-z])${w}`, 'i').test(lower));
};
const cameraHits = (cameras: ComplianceCamera[], test: (c: ComplianceCamera) => boolean): Hit[] =>
  cameras.filter(test).map((c) => ({ subject: c.id, values: { camera: label(c) } }));
const once = (condition: boolean, subject: string): Hit[] => (condition ? [{ subject }] : []);
const inUse = (input: ComplianceInput): boolean => input.cameras.length > 0;

/** Roles that have no business viewing surveillance footage (seed 001 §1.2 lid 3; Privacy op School). */
export const VIEWER_ROLES_NOT_ALLOWED = ['docent', 'leraar', 'leerkracht', 'mentor', 'leerling', 'administratie', 'teacher', 'pupil', 'student', 'administrative'] as const;
/** Surveillance footage beyond this many days is a warning even with a justification (OVO-protocol §1.4 lid 3: 4 weeks). */
export const SURVEILLANCE_WEEKS_DAYS = 28;
/** A covert authorisation longer than this is not "as limited in time as possible" without saying why. */
export const COVERT_MAX_DAYS = 90;

const SURVEILLANCE_LIKE: readonly Category[] = ['surveillance', 'covert', 'unassigned'];

function retentionBeyond(input: ComplianceInput, wantJustified = false): Hit[] {
  const hits: Hit[] = [];
  const justified = (category: Category, own?: string): boolean => (has(own) || has(input.privacy.retentionJustification?.[category])) === !wantJustified;
  for (const c of input.cameras) {
    if (c.retention === undefined) continue;
    if (wantJustified && !SURVEILLANCE_LIKE.includes(c.category)) continue;
    if (retentionWarnings(c.category, c.retention, c.id).some((w) => w.rule.endsWith('beyond-guideline')) && !justified(c.category, c.retentionJustification)) {
      hits.push({ subject: c.id, values: { what: label(c), setting: c.retention, limit: RETENTION_GUIDELINES[c.category].limit ?? '' } });
    }
  }
  const used = new Set([...input.cameras.filter((c) => c.retention === undefined).map((c) => c.category), ...(input.privacy.practices ?? [])]);
  for (const category of used) {
    if (wantJustified && !SURVEILLANCE_LIKE.includes(category)) continue;
    const setting = input.retention[category];
    if (setting === undefined) continue;
    if (retentionWarnings(category, setting, category).some((w) => w.rule.endsWith('beyond-guideline')) && !justified(category)) {
      hits.push({ subject: `retention.${category}`, values: { what: category, setting, limit: RETENTION_GUIDELINES[category].limit ?? '' } });
    }
  }
  return hits;
}

function covertDays(c: ComplianceCamera, timeZone: string): number | undefined {
  if (!c.authorisation) return undefined;
  const from = parseInstant(c.authorisation.from, timeZone);
  const until = parseInstant(c.authorisation.until, timeZone, { dateOnly: 'end' });
  return from === undefined || until === undefined ? undefined : (until - from) / 86_400_000;
}

const covert = (input: ComplianceInput): ComplianceCamera[] => input.cameras.filter((c) => c.category === 'covert');

export const RULES: Rule[] = [
  {
    id: 'fg.missing',
    severity: 'error',
    source: 'Ouders & Onderwijs, Cameratoezicht ("Er is op school een functionaris gegevensbescherming"); AVG art. 37',
    message: {
      nl: 'Er is geen functionaris gegevensbescherming (FG) vastgelegd: vul privacy.fg in.',
      en: 'No data protection officer (FG) is recorded: fill in privacy.fg.',
    },
    check: (i) => once(!i.privacy.fg, 'privacy.fg'),
  },
  {
    id: 'fg.contact-missing',
    severity: 'warning',
    source: 'AVG art. 13(1)(b); EDPB-richtlijnen 3/2019 §7',
    message: {
      nl: 'De FG ({name}) heeft geen e-mailadres of telefoonnummer: het bord en de brief moeten een contact noemen.',
      en: 'The FG ({name}) has no e-mail address or phone number: the sign and the letter must give a contact.',
    },
    check: (i) => (i.privacy.fg && !has(i.privacy.fg.email) && !has(i.privacy.fg.phone) ? [{ subject: 'privacy.fg', values: { name: i.privacy.fg.name } }] : []),
  },
  {
    id: 'consent.missing',
    severity: 'error',
    source: 'Ouders & Onderwijs, Cameratoezicht ("Zonder instemming van de MR mogen er geen camera\'s worden opgehangen"); WMS art. 10',
    message: {
      nl: 'Er is geen datum van instemming van de MR of GMR vastgelegd (privacy.consent): zonder instemming mogen er geen camera\'s hangen.',
      en: 'No date of consent of the MR or GMR is recorded (privacy.consent): without consent no camera may hang.',
    },
    check: (i) => once(!i.privacy.consent, 'privacy.consent'),
  },
  {
    id: 'retention.beyond-guideline',
    severity: 'error',
    source: 'OVO-protocol camera en video §1.4 lid 3, §3.3, §4.4 lid 6; afspraken foto\'s met de smartphone, punt 5; AVG art. 5(1)(e); EDPB-richtlijnen 3/2019 §8',
    message: {
      nl: 'De bewaartermijn van {what} is {setting}, langer dan de richtlijn {limit}, zonder onderbouwing: leg die vast (retentionJustification) of kort de termijn in.',
      en: 'The retention of {what} is {setting}, beyond the guideline of {limit}, without a justification: record one (retentionJustification) or shorten it.',
    },
    check: (i) => retentionBeyond(i),
  },
  {
    id: 'retention.coaching-missing',
    severity: 'warning',
    source: 'OVO-protocol camera en video §2.4 lid 2; AVG art. 5(1)(e)',
    message: {
      nl: 'Voor coachingsopnames is geen bewaartermijn ingesteld (retention.coaching): zo kort als het doel vraagt, door de school vast te stellen.',
      en: 'No retention is set for coaching recordings (retention.coaching): as short as the purpose needs, set by the school.',
    },
    check: (i) =>
      once(i.cameras.some((c) => c.category === 'coaching' && c.effectiveRetention === undefined) || ((i.privacy.practices ?? []).includes('coaching') && i.retention.coaching === undefined), 'retention.coaching'),
  },
  {
    id: 'camera.purpose-missing',
    severity: 'error',
    source: 'AVG art. 5(1)(b); EDPB-richtlijnen 3/2019 §3.1',
    message: {
      nl: 'Camera {camera} heeft geen doel (purpose): leg vast waarom deze camera nodig is.',
      en: 'Camera {camera} has no purpose: record why this camera is needed.',
    },
    check: (i) => cameraHits(i.cameras, (c) => !has(c.purpose)),
  },
  {
    id: 'camera.location-missing',
    severity: 'warning',
    source: 'Modelreglement cameratoezicht PO/VO (bijlage camera\'s: plaats en beeld); AVG art. 5(1)(c)',
    message: {
      nl: 'Camera {camera} heeft geen locatie: de bijlage van het reglement noemt van elke camera waar hij hangt en wat hij ziet.',
      en: 'Camera {camera} has no location: the annex of the regulation says for each camera where it hangs and what it sees.',
    },
    check: (i) => cameraHits(i.cameras, (c) => !has(c.location)),
  },
  {
    id: 'camera.forbidden-place',
    severity: 'error',
    source: 'Kennisnet, Beveiligingscamera\'s (geen camera\'s in toiletten en kleedruimtes); Ouders & Onderwijs, Cameratoezicht; OVO-protocol camera en video §5 lid 3',
    message: {
      nl: 'Camera {camera} hangt volgens zijn locatie in een ruimte waar nooit een camera mag komen ({word}).',
      en: 'Camera {camera} hangs, by its location, in a room where no camera may ever be ({word}).',
    },
    check: (i) =>
      i.cameras.flatMap((c) => {
        const verdict = forbiddenRoom(`${c.location ?? ''} ${c.name ?? ''}`, { covert: c.category === 'covert' });
        return verdict?.kind === 'in' ? [{ subject: c.id, values: { camera: label(c), word: verdict.word } }] : [];
      }),
  },
  {
    id: 'camera.near-forbidden-place',
    severity: 'warning',
    source: "Kennisnet, Beveiligingscamera's (geen camera's in toiletten en kleedruimtes); AVG art. 5(1)(c)",
    message: {
      nl: 'Camera {camera} hangt volgens zijn locatie bij een ruimte waar nooit een camera mag kijken ({word}): bevestig dat het beeld die ruimte niet toont (en leg dat vast in de locatie of met een privacymasker).',
      en: 'Camera {camera} hangs, by its location, near a room no camera may look into ({word}): confirm that its view does not show that room (and record it in the location or with a privacy mask).',
    },
    check: (i) =>
      i.cameras.flatMap((c) => {
        if (c.masks) return [];
        const verdict = forbiddenRoom(`${c.location ?? ''} ${c.name ?? ''}`, { covert: c.category === 'covert' });
        return verdict?.kind === 'near' ? [{ subject: c.id, values: { camera: label(c), word: verdict.word } }] : [];
      }),
  },
  {
    id: 'camera.assessment-purpose',
    severity: 'error',
    source: 'Kennisnet, Beveiligingscamera\'s (niet om leerlingen of personeel te beoordelen); OVO-protocol camera en video §1.4 lid 1; AVG art. 5(1)(b)',
    message: {
      nl: 'Het doel "{purpose}" ({what}) gebruikt cameratoezicht om leerlingen of personeel te beoordelen; dat mag niet.',
      en: 'The purpose "{purpose}" ({what}) uses surveillance to assess pupils or staff; that is not allowed.',
    },
    check: (i) => [
      ...i.cameras
        .filter((c) => SURVEILLANCE_LIKE.includes(c.category) && assessesPersons(c.purpose) && !monitorsStaff(c.purpose))
        .map((c) => ({ subject: c.id, values: { purpose: c.purpose!, what: label(c) } })),
      ...(i.privacy.purposes ?? []).filter((p) => assessesPersons(p) && !monitorsStaff(p)).map((p) => ({ subject: 'privacy.purposes', values: { purpose: p, what: 'privacy.purposes' } })),
    ],
  },
  {
    id: 'camera.staff-monitoring',
    severity: 'error',
    source: 'AP, Cameratoezicht op de werkplek (geen controle van werknemers); Kennisnet, Beveiligingscamera\'s; WMS art. 12; AVG art. 5(1)(b)',
    message: {
      nl: 'Het doel "{purpose}" ({what}) houdt toezicht op personeel (aanwezigheid, werktijden of functioneren); daarvoor mogen camera\'s niet worden gebruikt.',
      en: 'The purpose "{purpose}" ({what}) monitors staff (attendance, working hours or functioning); cameras may not be used for that.',
    },
    check: (i) => [
      ...i.cameras.filter((c) => c.category !== 'coaching' && monitorsStaff(c.purpose)).map((c) => ({ subject: c.id, values: { purpose: c.purpose!, what: label(c) } })),
      ...(i.privacy.purposes ?? []).filter((p) => monitorsStaff(p)).map((p) => ({ subject: 'privacy.purposes', values: { purpose: p, what: 'privacy.purposes' } })),
    ],
  },
  {
    id: 'camera.classroom-lessons',
    severity: 'error',
    source: 'AP, Online (video)bellen in het onderwijs (opnames van leerlingen alleen in uitzonderingssituaties); Kennisnet, Beveiligingscamera\'s; AVG art. 5(1)(c)',
    message: {
      nl: 'Camera {camera} hangt in een lokaal en houdt toezicht tijdens de lessen; zet hem alleen buiten lestijd aan (outsideLessonsOnly: true) of haal hem weg.',
      en: 'Camera {camera} hangs in a classroom and watches lessons; let it record only outside lesson times (outsideLessonsOnly: true) or remove it.',
    },
    check: (i) => cameraHits(i.cameras, (c) => SURVEILLANCE_LIKE.includes(c.category) && isClassroom(c.location) && c.outsideLessonsOnly !== true),
  },
  {
    id: 'camera.public-road',
    severity: 'warning',
    source: 'EDPB-richtlijnen 3/2019 §3.1.2 (geen zicht op de openbare weg); Modelreglement cameratoezicht PO/VO; AVG art. 5(1)(c)',
    message: {
      nl: 'Camera {camera} ziet volgens zijn locatie de openbare weg of de buren: beperk het beeld tot het schoolterrein (richting of privacymasker) en bevestig dat.',
      en: 'Camera {camera} sees, by its location, the public road or the neighbours: limit its view to the school grounds (aim or privacy mask) and confirm it.',
    },
    check: (i) => cameraHits(i.cameras, (c) => !c.masks && viewsPublicRoad(c.location)),
  },
  {
    id: 'retention.surveillance-beyond-four-weeks',
    severity: 'warning',
    source: 'OVO-protocol camera en video §1.4 lid 3; Ouders & Onderwijs, Cameratoezicht (richtlijn 4 weken); AVG art. 5(1)(e)',
    message: {
      nl: 'De bewaartermijn van {what} is {setting}, langer dan vier weken; de onderbouwing staat vast, maar langer bewaren blijft een uitzondering die de DPIA moet dragen.',
      en: 'The retention of {what} is {setting}, beyond four weeks; the justification is recorded, but keeping longer stays an exception the DPIA must carry.',
    },
    check: (i) => retentionBeyond(i, true),
  },
  {
    id: 'purposes.missing',
    severity: 'warning',
    source: 'OVO-protocol camera en video §1.1; AVG art. 5(1)(b)',
    message: {
      nl: 'De doelen van het cameratoezicht zijn niet limitatief opgesomd (privacy.purposes); het reglement noemt nu de doelen van de afzonderlijke camera\'s.',
      en: 'The purposes of the surveillance are not listed exhaustively (privacy.purposes); the regulation now names the purposes of the individual cameras.',
    },
    check: (i) => once(inUse(i) && !(i.privacy.purposes ?? []).length, 'privacy.purposes'),
  },
  {
    id: 'covert.no-authorisation',
    severity: 'error',
    source: 'OVO-protocol camera en video §5; AP, voorwaarden verborgen camera (besluit, beperkte duur)',
    message: {
      nl: 'Heimelijke camera {camera} heeft geen besluit van het bevoegd gezag met een einddatum (authorisation: decision, from, until).',
      en: 'Hidden camera {camera} has no board decision with an end date (authorisation: decision, from, until).',
    },
    check: (i) => cameraHits(covert(i), (c) => !c.authorisation),
  },
  {
    id: 'covert.no-suspicion',
    severity: 'error',
    source: 'OVO-protocol camera en video §5 lid 1',
    message: {
      nl: 'Heimelijke camera {camera}: het ernstige, concrete vermoeden is niet vastgelegd (authorisation.suspicion).',
      en: 'Hidden camera {camera}: the serious, concrete suspicion is not recorded (authorisation.suspicion).',
    },
    check: (i) => cameraHits(covert(i), (c) => c.authorisation !== undefined && !has(c.authorisation.suspicion)),
  },
  {
    id: 'covert.no-staff-consent',
    severity: 'error',
    source: 'WMS art. 12 (instemming personeelsgeleding); WOR art. 27(1)(l); AP, voorwaarden verborgen camera',
    message: {
      nl: 'Heimelijke camera {camera}: de instemming van de personeelsgeleding van de MR is niet vastgelegd (authorisation.staffConsent).',
      en: 'Hidden camera {camera}: the consent of the staff section of the MR is not recorded (authorisation.staffConsent).',
    },
    check: (i) => cameraHits(covert(i), (c) => c.authorisation !== undefined && !c.authorisation.staffConsent),
  },
  {
    id: 'covert.no-fg-advice',
    severity: 'warning',
    source: 'AVG art. 35(2); AP, lijst verplichte DPIA (heimelijk onderzoek)',
    message: {
      nl: 'Heimelijke camera {camera}: er is geen advies van de FG over de vertrouwelijke bijlage vastgelegd (authorisation.fgAdvice).',
      en: 'Hidden camera {camera}: no advice of the FG on the confidential annex is recorded (authorisation.fgAdvice).',
    },
    check: (i) => cameraHits(covert(i), (c) => c.authorisation !== undefined && !c.authorisation.fgAdvice),
  },
  {
    id: 'covert.advice-predates-decision',
    severity: 'warning',
    source: 'AVG art. 35(2) en 35(11)',
    message: {
      nl: 'Heimelijke camera {camera}: {whatNl} ({date}) is ouder dan het besluit over deze camera ({decided}) en kan er dus niet over gaan; laat de FG en het bevoegd gezag de vertrouwelijke bijlage opnieuw beoordelen.',
      en: 'Hidden camera {camera}: {whatEn} ({date}) predates the decision on this camera ({decided}) and so cannot cover it; have the FG and the board review the confidential annex again.',
    },
    check: (i, ctx) =>
      covert(i).flatMap((c) => {
        const decided = c.authorisation?.decidedOn;
        if (!decided) return [];
        const signed = [
          // The camera's own advice comes before its decision, as it should; the DPIA's may be too old to cover it.
          { what: 'fg', date: c.authorisation?.fgAdvice ? undefined : ctx.dpiaSignOff?.fgAdvice },
          { what: 'board', date: ctx.dpiaSignOff?.decision },
        ];
        return signed
          .filter((x): x is { what: string; date: string } => x.date !== undefined && x.date.slice(0, 10) < decided.slice(0, 10))
          .map((x) => ({ subject: c.id, values: { camera: label(c), whatNl: x.what === 'fg' ? 'het advies van de FG' : 'het besluit van het bevoegd gezag over de DPIA', whatEn: x.what === 'fg' ? 'the advice of the FG' : "the board's decision on the DPIA", date: x.date, decided } }));
      }),
  },
  {
    id: 'covert.period-long',
    severity: 'warning',
    source: 'OVO-protocol camera en video §5 lid 2',
    message: {
      nl: 'Heimelijke camera {camera} is toegestaan voor {days} dagen; heimelijk toezicht blijft zo kort mogelijk (richtwaarde {max} dagen).',
      en: 'Hidden camera {camera} is authorised for {days} days; hidden surveillance is kept as short as possible (guide value {max} days).',
    },
    check: (i) =>
      covert(i).flatMap((c) => {
        const days = covertDays(c, i.school.timezone);
        return days !== undefined && days > COVERT_MAX_DAYS ? [{ subject: c.id, values: { camera: label(c), days: String(Math.round(days)), max: String(COVERT_MAX_DAYS) } }] : [];
      }),
  },
  {
    id: 'covert.ended',
    severity: 'warning',
    source: 'OVO-protocol camera en video §5 lid 2; AP, voorwaarden verborgen camera (tijdelijk; achteraf informeren)',
    message: {
      nl: 'De toestemming voor heimelijke camera {camera} is op {until} verlopen: haal de camera weg en informeer de betrokkenen achteraf.',
      en: 'The authorisation of hidden camera {camera} ended on {until}: remove the camera and inform the people concerned afterwards.',
    },
    check: (i, ctx) =>
      covert(i).flatMap((c) => {
        const until = c.authorisation ? parseInstant(c.authorisation.until, i.school.timezone, { dateOnly: 'end' }) : undefined;
        return until !== undefined && until <= ctx.now ? [{ subject: c.id, values: { camera: label(c), until: c.authorisation!.until } }] : [];
      }),
  },
  {
    id: 'beheerder.missing',
    severity: 'warning',
    source: 'OVO-protocol camera en video §1.2 lid 2',
    message: {
      nl: 'Er is geen beheerder van het camerasysteem aangewezen (privacy.beheerder).',
      en: 'No beheerder (manager) of the camera system is appointed (privacy.beheerder).',
    },
    check: (i) => once(inUse(i) && !i.privacy.beheerder, 'privacy.beheerder'),
  },
  {
    id: 'processor.agreement-missing',
    severity: 'error',
    source: 'Ouders & Onderwijs, Cameratoezicht (verwerkersovereenkomst met de beheerder); AVG art. 28',
    message: {
      nl: 'De externe beheerder {name} heeft geen verwerkersovereenkomst vastgelegd (privacy.beheerder.processorAgreement).',
      en: 'The external beheerder {name} has no processor agreement recorded (privacy.beheerder.processorAgreement).',
    },
    check: (i) => {
      const b = i.privacy.beheerder;
      return b?.external && !b.processorAgreement ? [{ subject: 'privacy.beheerder', values: { name: b.organisation ?? b.name } }] : [];
    },
  },
  {
    id: 'signage.unconfirmed',
    severity: 'error',
    source: 'OVO-protocol camera en video §1.3; Ouders & Onderwijs, Cameratoezicht; AP, Cameratoezicht op school; AVG art. 13',
    message: {
      nl: 'Niet bevestigd dat er borden hangen bij de entree van het gebouw en het terrein (privacy.signage.confirmed).',
      en: 'It is not confirmed that signs hang at the entrances of the building and the grounds (privacy.signage.confirmed).',
    },
    check: (i) => once(inUse(i) && i.privacy.signage?.confirmed !== true, 'privacy.signage'),
  },
  {
    id: 'audio.on',
    severity: 'error',
    source: 'AP, Cameratoezicht op de werkplek (geen geluid); EDPB-richtlijnen 3/2019 §9; AVG art. 5(1)(c)',
    message: {
      nl: 'Er wordt geluid opgenomen ({what}); cameratoezicht op school neemt geen geluid op.',
      en: 'Sound is recorded ({what}); camera surveillance at a school records no sound.',
    },
    check: (i) => [
      ...(i.privacy.audio ? [{ subject: 'privacy.audio', values: { what: 'privacy.audio' } }] : []),
      ...i.cameras.filter((c) => c.audio).map((c) => ({ subject: c.id, values: { what: label(c) } })),
    ],
  },
  {
    id: 'viewers.not-allowed',
    severity: 'warning',
    source: 'OVO-protocol camera en video §1.2 lid 3; Privacy op School, Wie mag de camerabeelden bekijken',
    message: {
      nl: '"{role}" mag beelden bekijken volgens privacy.viewers; alleen wie het voor zijn functie nodig heeft (beheerder, schooldirectie) mag dat.',
      en: '"{role}" may view images according to privacy.viewers; only those whose function needs it (beheerder, school management) may.',
    },
    check: (i) => (i.privacy.viewers ?? []).filter((v) => matches(v.role, VIEWER_ROLES_NOT_ALLOWED)).map((v) => ({ subject: 'privacy.viewers', values: { role: v.role } })),
  },
  {
    id: 'controller.contact-missing',
    severity: 'warning',
    source: 'AVG art. 13(1)(a); EDPB-richtlijnen 3/2019 §7.1',
    message: {
      nl: 'De school heeft geen e-mailadres of telefoonnummer in de config (school.email, school.phone): het bord moet een contact noemen.',
      en: 'The school has no e-mail address or phone number in the config (school.email, school.phone): the sign must give a contact.',
    },
    check: (i) => once(!has(i.school.email) && !has(i.school.phone), 'school'),
  },
  {
    id: 'information.missing',
    severity: 'warning',
    source: 'Ouders & Onderwijs, Cameratoezicht (reglement aan ouders toesturen); EDPB-richtlijnen 3/2019 §7.2',
    message: {
      nl: 'Niet vastgelegd waar het reglement te lezen is (privacy.information: url of plaats); het bord verwijst ernaar.',
      en: 'Where the regulation can be read is not recorded (privacy.information: url or place); the sign points to it.',
    },
    check: (i) => once(!has(i.privacy.information?.url) && !has(i.privacy.information?.place), 'privacy.information'),
  },
  {
    id: 'complaints.missing',
    severity: 'warning',
    source: 'AVG art. 13(2)(d) en 77',
    message: {
      nl: 'Er is geen klachtenroute vastgelegd (privacy.complaints: contact of klachtenregeling).',
      en: 'No complaints route is recorded (privacy.complaints: contact or klachtenregeling).',
    },
    check: (i) => once(!has(i.privacy.complaints?.contact) && !has(i.privacy.complaints?.regulation), 'privacy.complaints'),
  },
  {
    id: 'safety-policy.missing',
    severity: 'warning',
    source: 'Ouders & Onderwijs, Cameratoezicht ("onderdeel van een heel pakket aan veiligheidsmaatregelen"); AP, Cameratoezicht op school',
    message: {
      nl: 'Niet vastgelegd van welk veiligheidsbeleid het cameratoezicht deel uitmaakt (privacy.safetyPolicy).',
      en: 'Not recorded which safety policy the surveillance is part of (privacy.safetyPolicy).',
    },
    check: (i) => once(inUse(i) && !has(i.privacy.safetyPolicy), 'privacy.safetyPolicy'),
  },
  {
    id: 'security-plan.missing',
    severity: 'warning',
    source: 'Ouders & Onderwijs, Cameratoezicht ("Er is een beveiligingsplan"); AVG art. 32',
    message: {
      nl: 'Er is geen beveiligingsplan voor de beelden vastgelegd (privacy.securityPlan).',
      en: 'No security plan for the images is recorded (privacy.securityPlan).',
    },
    check: (i) => once(inUse(i) && !has(i.privacy.securityPlan), 'privacy.securityPlan'),
  },
  {
    id: 'legal-basis.public-authority',
    severity: 'warning',
    source: 'AVG art. 6(1), laatste volzin',
    message: {
      nl: 'De school is een openbare school (school.publicAuthority) maar noemt gerechtvaardigd belang als grondslag; gebruik public-task (art. 6 lid 1 sub e AVG).',
      en: 'The school is a public school (school.publicAuthority) but gives legitimate interest as its legal basis; use public-task (AVG art. 6(1)(e)).',
    },
    check: (i) => once(i.school.publicAuthority === true && i.privacy.legalBasis === 'legitimate-interest', 'privacy.legalBasis'),
  },
  {
    id: 'reglement.not-adopted',
    severity: 'warning',
    source: 'Ouders & Onderwijs, Cameratoezicht ("Er is een camerareglement"); OVO-protocol camera en video (vastgesteld door het College van Bestuur)',
    message: {
      nl: 'Het camerareglement is niet vastgesteld (documents.reglement.status: vastgesteld, adoptedOn).',
      en: 'The camera regulation has not been adopted (documents.reglement.status: vastgesteld, adoptedOn).',
    },
    check: (i) => once(inUse(i) && i.documents.reglement?.status !== 'vastgesteld', 'documents.reglement'),
  },
  {
    id: 'dpia.missing',
    severity: 'error',
    source: 'AVG art. 35; AP, lijst verplichte DPIA (cameratoezicht, heimelijk onderzoek); Ouders & Onderwijs, Cameratoezicht',
    message: {
      nl: 'Er is geen DPIA: maak die met `toezicht dpia generate` (of leg een vastgestelde DPIA vast in documents.dpia).',
      en: 'There is no DPIA: make one with `toezicht dpia generate` (or record an adopted DPIA in documents.dpia).',
    },
    check: (i, ctx) => once(inUse(i) && ctx.versions !== undefined && !ctx.versions.dpia && i.documents.dpia?.status !== 'vastgesteld', 'documents.dpia'),
  },
  {
    id: 'dpia.unanswered',
    severity: 'warning',
    source: 'AVG art. 35(7)',
    message: {
      nl: 'De DPIA heeft {count} onbeantwoorde vragen ({questions}): beantwoord ze met `toezicht dpia generate --interactive`.',
      en: 'The DPIA has {count} unanswered questions ({questions}): answer them with `toezicht dpia generate --interactive`.',
    },
    check: (_i, ctx) => once((ctx.dpiaUnanswered ?? []).length > 0, 'documents.dpia').map((h) => ({ ...h, values: { count: String(ctx.dpiaUnanswered!.length), questions: ctx.dpiaUnanswered!.join(', ') } })),
  },
  {
    id: 'dpia.contradicts-settings',
    severity: 'error',
    source: 'AVG art. 35(7)(a)',
    message: {
      nl: 'De antwoorden van de DPIA zeggen "{claim}", maar volgens de instellingen {fact}: pas de antwoorden of de instellingen aan.',
      en: 'The DPIA answers say "{claim}", but by the settings {factEn}: change the answers or the settings.',
    },
    check: (i, ctx) => {
      const text = ctx.dpiaText ?? '';
      const sound = i.privacy.audio === true || i.cameras.some((c) => c.audio && c.category !== 'covert');
      const claim = sound ? /(geen geluid|zonder geluid|no sound|without sound)/i.exec(text)?.[1] : undefined;
      return claim ? [{ subject: 'documents.dpia', values: { claim, fact: 'wordt geluid opgenomen', factEn: 'sound is recorded' } }] : [];
    },
  },
  {
    id: 'document.revision-overdue',
    severity: 'warning',
    source: 'OVO-protocol camera en video (revisiedatum); AVG art. 35(11)',
    message: {
      nl: 'De revisiedatum van {document} ({date}) is verstreken: herzie het document en stel het opnieuw vast.',
      en: 'The revision date of {document} ({date}) has passed: revise the document and adopt it again.',
    },
    check: (i, ctx) =>
      DOCUMENT_KINDS.flatMap((kind) => {
        const date = revisionDate(kind, i.documents[kind], ctx.versions?.[kind]?.createdAt);
        return date && revisionOverdue(date, ctx.now, i.school.timezone) ? [{ subject: `documents.${kind}`, values: { document: kind, date, source: REVISION_SOURCE[kind] } }] : [];
      }),
  },
];
