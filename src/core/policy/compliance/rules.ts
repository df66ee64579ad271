// The compliance rules: data, one entry per rule, each with its source. A rule's check returns the places it
// applies to; the messages (nl and en) are filled from each hit's values.
import { RETENTION_GUIDELINES, retentionWarnings, type Category } from '../retention.js';
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

/** Rooms where no camera may ever look (Kennisnet; seed 000: "Verborgen camera's op een toilet zijn … niet te rechtvaardigen"). */
export const FORBIDDEN_PLACES = ['toilet', 'wc', 'kleedkamer', 'kleedruimte', 'douche', 'wasruimte', 'washroom', 'restroom', 'changing', 'shower'] as const;
/** Where hidden cameras may never go besides those (seed 001 §5 lid 3). */
export const COVERT_FORBIDDEN_PLACES = [...FORBIDDEN_PLACES, 'directie', 'schoolleiding', 'vertrouwenspersoon', 'management', 'head teacher', 'counsellor', 'confidential'] as const;
/** Roles that have no business viewing surveillance footage (seed 001 §1.2 lid 3; Privacy op School). */
export const VIEWER_ROLES_NOT_ALLOWED = ['docent', 'leraar', 'leerkracht', 'mentor', 'leerling', 'administratie', 'teacher', 'pupil', 'student', 'administrative'] as const;
/** Purposes that turn surveillance into assessment (Kennisnet: no use to assess pupils or staff). */
export const ASSESSMENT_WORDS = ['beoordel', 'functioneren', 'prestatie', 'assess', 'performance', 'appraisal'] as const;
/** A covert authorisation longer than this is not "as limited in time as possible" without saying why. */
export const COVERT_MAX_DAYS = 90;

const SURVEILLANCE_LIKE: readonly Category[] = ['surveillance', 'covert', 'unassigned'];

function retentionBeyond(input: ComplianceInput): Hit[] {
  const hits: Hit[] = [];
  const justified = (category: Category, own?: string): boolean => has(own) || has(input.privacy.retentionJustification?.[category]);
  for (const c of input.cameras) {
    if (c.retention === undefined) continue;
    if (retentionWarnings(c.category, c.retention, c.id).some((w) => w.rule.endsWith('beyond-guideline')) && !justified(c.category, c.retentionJustification)) {
      hits.push({ subject: c.id, values: { what: label(c), setting: c.retention, limit: RETENTION_GUIDELINES[c.category].limit ?? '' } });
    }
  }
  const used = new Set([...input.cameras.filter((c) => c.retention === undefined).map((c) => c.category), ...(input.privacy.practices ?? [])]);
  for (const category of used) {
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
    source: 'seed 000 ("Er is op school een functionaris gegevensbescherming"); AVG art. 37',
    message: {
      nl: 'Er is geen functionaris gegevensbescherming (FG) vastgelegd: vul privacy.fg in.',
      en: 'No data protection officer (FG) is recorded: fill in privacy.fg.',
    },
    check: (i) => once(!i.privacy.fg, 'privacy.fg'),
  },
  {
    id: 'fg.contact-missing',
    severity: 'warning',
    source: 'AVG art. 13(1)(b); EDPB 3/2019 §7 (checklist D 5)',
    message: {
      nl: 'De FG ({name}) heeft geen e-mailadres of telefoonnummer: het bord en de brief moeten een contact noemen.',
      en: 'The FG ({name}) has no e-mail address or phone number: the sign and the letter must give a contact.',
    },
    check: (i) => (i.privacy.fg && !has(i.privacy.fg.email) && !has(i.privacy.fg.phone) ? [{ subject: 'privacy.fg', values: { name: i.privacy.fg.name } }] : []),
  },
  {
    id: 'consent.missing',
    severity: 'error',
    source: 'seed 000 ("Zonder instemming van de MR mogen er geen camera\'s worden opgehangen"); seed 002; WMS art. 10',
    message: {
      nl: 'Er is geen datum van instemming van de MR of GMR vastgelegd (privacy.consent): zonder instemming mogen er geen camera\'s hangen.',
      en: 'No date of consent of the MR or GMR is recorded (privacy.consent): without consent no camera may hang.',
    },
    check: (i) => once(!i.privacy.consent, 'privacy.consent'),
  },
  {
    id: 'retention.beyond-guideline',
    severity: 'error',
    source: 'seed 001 §1.4 lid 3, §3.3, §4.4 lid 6; seed 003 (5); EDPB 3/2019 §8',
    message: {
      nl: 'De bewaartermijn van {what} is {setting}, langer dan de richtlijn {limit}, zonder onderbouwing: leg die vast (retentionJustification) of kort de termijn in.',
      en: 'The retention of {what} is {setting}, beyond the guideline of {limit}, without a justification: record one (retentionJustification) or shorten it.',
    },
    check: retentionBeyond,
  },
  {
    id: 'retention.coaching-missing',
    severity: 'warning',
    source: 'seed 001 §2.4 lid 2',
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
    source: 'AVG art. 5(1)(b); EDPB 3/2019 §3.1 (document the purpose of every camera)',
    message: {
      nl: 'Camera {camera} heeft geen doel (purpose): leg vast waarom deze camera nodig is.',
      en: 'Camera {camera} has no purpose: record why this camera is needed.',
    },
    check: (i) => cameraHits(i.cameras, (c) => !has(c.purpose)),
  },
  {
    id: 'camera.location-missing',
    severity: 'warning',
    source: 'LEGAL checklist A 5 (camera annex: location and field of view)',
    message: {
      nl: 'Camera {camera} heeft geen locatie: de bijlage van het reglement noemt van elke camera waar hij hangt en wat hij ziet.',
      en: 'Camera {camera} has no location: the annex of the regulation says for each camera where it hangs and what it sees.',
    },
    check: (i) => cameraHits(i.cameras, (c) => !has(c.location)),
  },
  {
    id: 'camera.forbidden-place',
    severity: 'error',
    source: 'Kennisnet (no cameras in toilets or changing rooms); seed 000; seed 001 §5 lid 3',
    message: {
      nl: 'Camera {camera} hangt volgens zijn locatie in een ruimte waar nooit een camera mag komen ({word}).',
      en: 'Camera {camera} hangs, by its location, in a room where no camera may ever be ({word}).',
    },
    check: (i) =>
      i.cameras.flatMap((c) => {
        const word = matches(`${c.location ?? ''} ${c.name ?? ''}`, c.category === 'covert' ? COVERT_FORBIDDEN_PLACES : FORBIDDEN_PLACES);
        return word ? [{ subject: c.id, values: { camera: label(c), word } }] : [];
      }),
  },
  {
    id: 'camera.assessment-purpose',
    severity: 'error',
    source: 'Kennisnet (no use of cameras to assess pupils or staff); seed 001 §1.4 lid 1',
    message: {
      nl: 'Het doel "{purpose}" ({what}) gebruikt cameratoezicht om leerlingen of personeel te beoordelen; dat mag niet.',
      en: 'The purpose "{purpose}" ({what}) uses surveillance to assess pupils or staff; that is not allowed.',
    },
    check: (i) => [
      ...i.cameras
        .filter((c) => SURVEILLANCE_LIKE.includes(c.category) && matches(c.purpose, ASSESSMENT_WORDS))
        .map((c) => ({ subject: c.id, values: { purpose: c.purpose!, what: label(c) } })),
      ...(i.privacy.purposes ?? []).filter((p) => matches(p, ASSESSMENT_WORDS)).map((p) => ({ subject: 'privacy.purposes', values: { purpose: p, what: 'privacy.purposes' } })),
    ],
  },
  {
    id: 'purposes.missing',
    severity: 'warning',
    source: 'seed 001 §1.1; LEGAL checklist A 2 (exhaustive purposes)',
    message: {
      nl: 'De doelen van het cameratoezicht zijn niet limitatief opgesomd (privacy.purposes); het reglement noemt nu de doelen van de afzonderlijke camera\'s.',
      en: 'The purposes of the surveillance are not listed exhaustively (privacy.purposes); the regulation now names the purposes of the individual cameras.',
    },
    check: (i) => once(inUse(i) && !(i.privacy.purposes ?? []).length, 'privacy.purposes'),
  },
  {
    id: 'covert.no-authorisation',
    severity: 'error',
    source: 'seed 001 §5; AP conditions for hidden cameras (board decision, limited period)',
    message: {
      nl: 'Heimelijke camera {camera} heeft geen besluit van het bevoegd gezag met een einddatum (authorisation: decision, from, until).',
      en: 'Hidden camera {camera} has no board decision with an end date (authorisation: decision, from, until).',
    },
    check: (i) => cameraHits(covert(i), (c) => !c.authorisation),
  },
  {
    id: 'covert.no-suspicion',
    severity: 'error',
    source: 'seed 001 §5 lid 1 (serious, concrete suspicion; milder means failed)',
    message: {
      nl: 'Heimelijke camera {camera}: het ernstige, concrete vermoeden is niet vastgelegd (authorisation.suspicion).',
      en: 'Hidden camera {camera}: the serious, concrete suspicion is not recorded (authorisation.suspicion).',
    },
    check: (i) => cameraHits(covert(i), (c) => c.authorisation !== undefined && !has(c.authorisation.suspicion)),
  },
  {
    id: 'covert.period-long',
    severity: 'warning',
    source: 'seed 001 §5 lid 2 (in duur en omvang zo beperkt mogelijk)',
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
    source: 'seed 001 §5 lid 2; AP conditions (temporary use; inform the people concerned afterwards)',
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
    source: 'seed 001 §1.2 lid 2 ("Elke school wijst een beheerder van het camerasysteem aan")',
    message: {
      nl: 'Er is geen beheerder van het camerasysteem aangewezen (privacy.beheerder).',
      en: 'No beheerder (manager) of the camera system is appointed (privacy.beheerder).',
    },
    check: (i) => once(inUse(i) && !i.privacy.beheerder, 'privacy.beheerder'),
  },
  {
    id: 'processor.agreement-missing',
    severity: 'error',
    source: 'seed 000 ("Er is een verwerkersovereenkomst met de beheerder van de camera"); AVG art. 28',
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
    source: 'seed 000; seed 001 §1.3 (borden bij de entree van gebouw en terrein); AP: without signs the school "kan strafbaar zijn"',
    message: {
      nl: 'Niet bevestigd dat er borden hangen bij de entree van het gebouw en het terrein (privacy.signage.confirmed).',
      en: 'It is not confirmed that signs hang at the entrances of the building and the grounds (privacy.signage.confirmed).',
    },
    check: (i) => once(inUse(i) && i.privacy.signage?.confirmed !== true, 'privacy.signage'),
  },
  {
    id: 'audio.on',
    severity: 'error',
    source: 'AP via KVK (no audio at the workplace); EDPB 3/2019 §9 (audio off by default)',
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
    source: 'seed 001 §1.2 lid 3 (only the beheerder and the school management); Privacy op School (not teachers, pupils or administrative staff)',
    message: {
      nl: '"{role}" mag beelden bekijken volgens privacy.viewers; alleen wie het voor zijn functie nodig heeft (beheerder, schooldirectie) mag dat.',
      en: '"{role}" may view images according to privacy.viewers; only those whose function needs it (beheerder, school management) may.',
    },
    check: (i) => (i.privacy.viewers ?? []).filter((v) => matches(v.role, VIEWER_ROLES_NOT_ALLOWED)).map((v) => ({ subject: 'privacy.viewers', values: { role: v.role } })),
  },
  {
    id: 'controller.contact-missing',
    severity: 'warning',
    source: 'EDPB 3/2019 §7.1 (checklist D 2: controller identity and contact)',
    message: {
      nl: 'De school heeft geen e-mailadres of telefoonnummer in de config (school.email, school.phone): het bord moet een contact noemen.',
      en: 'The school has no e-mail address or phone number in the config (school.email, school.phone): the sign must give a contact.',
    },
    check: (i) => once(!has(i.school.email) && !has(i.school.phone), 'school'),
  },
  {
    id: 'information.missing',
    severity: 'warning',
    source: 'seed 000 (reglement aan ouders toesturen); EDPB 3/2019 §7.2 (second layer, checklist D 10)',
    message: {
      nl: 'Niet vastgelegd waar het reglement te lezen is (privacy.information: url of plaats); het bord verwijst ernaar.',
      en: 'Where the regulation can be read is not recorded (privacy.information: url or place); the sign points to it.',
    },
    check: (i) => once(!has(i.privacy.information?.url) && !has(i.privacy.information?.place), 'privacy.information'),
  },
  {
    id: 'complaints.missing',
    severity: 'warning',
    source: 'LEGAL checklist A 13 (complaints to the FG, the klachtenregeling or the AP); AVG art. 77',
    message: {
      nl: 'Er is geen klachtenroute vastgelegd (privacy.complaints: contact of klachtenregeling).',
      en: 'No complaints route is recorded (privacy.complaints: contact or klachtenregeling).',
    },
    check: (i) => once(!has(i.privacy.complaints?.contact) && !has(i.privacy.complaints?.regulation), 'privacy.complaints'),
  },
  {
    id: 'safety-policy.missing',
    severity: 'warning',
    source: 'seed 000 ("onderdeel van een heel pakket aan veiligheidsmaatregelen"); AP',
    message: {
      nl: 'Niet vastgelegd van welk veiligheidsbeleid het cameratoezicht deel uitmaakt (privacy.safetyPolicy).',
      en: 'Not recorded which safety policy the surveillance is part of (privacy.safetyPolicy).',
    },
    check: (i) => once(inUse(i) && !has(i.privacy.safetyPolicy), 'privacy.safetyPolicy'),
  },
  {
    id: 'security-plan.missing',
    severity: 'warning',
    source: 'seed 000 ("De beelden moeten goed worden beveiligd. Er is een beveiligingsplan")',
    message: {
      nl: 'Er is geen beveiligingsplan voor de beelden vastgelegd (privacy.securityPlan).',
      en: 'No security plan for the images is recorded (privacy.securityPlan).',
    },
    check: (i) => once(inUse(i) && !has(i.privacy.securityPlan), 'privacy.securityPlan'),
  },
  {
    id: 'legal-basis.public-authority',
    severity: 'warning',
    source: 'AVG art. 6(1) last sentence (public authorities cannot rely on 6(1)(f) for their tasks)',
    message: {
      nl: 'De school is een openbare school (school.publicAuthority) maar noemt gerechtvaardigd belang als grondslag; gebruik public-task (art. 6 lid 1 sub e AVG).',
      en: 'The school is a public school (school.publicAuthority) but gives legitimate interest as its legal basis; use public-task (AVG art. 6(1)(e)).',
    },
    check: (i) => once(i.school.publicAuthority === true && i.privacy.legalBasis === 'legitimate-interest', 'privacy.legalBasis'),
  },
  {
    id: 'reglement.not-adopted',
    severity: 'warning',
    source: 'seed 000 ("Er is een camerareglement"); seed 001 (vastgesteld door het College van Bestuur)',
    message: {
      nl: 'Het camerareglement is niet vastgesteld (documents.reglement.status: vastgesteld, adoptedOn).',
      en: 'The camera regulation has not been adopted (documents.reglement.status: vastgesteld, adoptedOn).',
    },
    check: (i) => once(inUse(i) && i.documents.reglement?.status !== 'vastgesteld', 'documents.reglement'),
  },
  {
    id: 'dpia.missing',
    severity: 'error',
    source: 'seed 000 (DPIA); seed 004; AVG art. 35; AP DPIA list (cameratoezicht, heimelijk onderzoek)',
    message: {
      nl: 'Er is geen DPIA: maak die met `toezicht dpia generate` (of leg een vastgestelde DPIA vast in documents.dpia).',
      en: 'There is no DPIA: make one with `toezicht dpia generate` (or record an adopted DPIA in documents.dpia).',
    },
    check: (i, ctx) => once(inUse(i) && ctx.versions !== undefined && !ctx.versions.dpia && i.documents.dpia?.status !== 'vastgesteld', 'documents.dpia'),
  },
  {
    id: 'document.revision-overdue',
    severity: 'warning',
    source: 'seed 001 (Revisiedatum); AVG art. 35(11)',
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
