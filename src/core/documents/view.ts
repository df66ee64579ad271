// The values a template sees: the facts in the document's language, Markdown-safe, with what applies worked out
// (a template tests `has.covert`, it does not compute it).
import { forbiddenRoom } from '../policy/compliance/index.js';
import { RETENTION_GUIDELINES, type Category } from '../policy/retention.js';
import { applicableRisks, riskLevel } from './dpia/risks.js';
import type { Facts, FactsCamera } from './facts.js';
import { describeRetention, escapeDeep, formatDate } from './format.js';
import { str, type Strings } from './templates.js';
import type { Lang } from './types.js';

export interface VersionInfo {
  version: number;
  createdAt: string;
  inputsHash: string;
  revisionDate?: string;
}

const contact = (...parts: (string | undefined)[]): string | undefined => {
  const p = parts.filter((x): x is string => Boolean(x && x.trim()));
  return p.length ? p.join(', ') : undefined;
};

export function buildView(facts: Facts, lang: Lang, strings: Strings, version: VersionInfo): Record<string, unknown> {
  const date = (v: string | undefined): string | undefined => formatDate(v, lang);
  const p = facts.privacy;
  const category = (c: Category): string => str(strings, `categories.${c}`);
  const camera = (c: FactsCamera) => ({
    id: c.id,
    name: c.name ?? c.id,
    location: c.location ?? str(strings, 'missing'),
    purpose: c.purpose ?? str(strings, 'missing'),
    category: category(c.category),
    retention: describeRetention(c.retention, strings),
    ...(c.retentionJustification ? { justification: c.retentionJustification } : {}),
  });
  const overt = facts.cameras.filter((c) => c.category !== 'covert');
  const covert = facts.cameras.filter((c) => c.category === 'covert');
  const cameraPurposes = [...new Set(overt.map((c) => c.purpose).filter((x): x is string => Boolean(x)))];
  const purposes = p.purposes?.length ? p.purposes : cameraPurposes;
  const uses = (c: Category): boolean => facts.categories.includes(c);
  const legalBasis = p.legalBasis ?? (facts.school.publicAuthority ? 'public-task' : 'legitimate-interest');
  const viewers = p.viewers?.length ? p.viewers : ((strings.viewersDefault ?? []) as string[]).map((role) => ({ role }));

  const retentionRows = facts.categories.map((c) => {
    const g = RETENTION_GUIDELINES[c];
    return {
      category: category(c),
      setting: describeRetention(facts.retention[c], strings),
      guideline: g.limit ? describeRetention(g.limit, strings) : describeRetention(g.default, strings),
      justification: p.retentionJustification?.[c] ?? '',
      source: g.source,
    };
  });
  const ownRetention = facts.cameras
    .filter((c) => c.retention !== undefined && c.retention !== facts.retention[c.category] && c.category !== 'covert')
    .map((c) => ({ ...camera(c), guideline: describeRetention(RETENTION_GUIDELINES[c.category].limit ?? RETENTION_GUIDELINES[c.category].default, strings) }));

  const status = facts.settings.status ?? 'concept';
  // What the documents may claim as a fact: only what the settings say.
  const audio = p.audio === true || facts.cameras.some((c) => c.audio);
  const noPrivateRooms = !facts.cameras.some((c) => forbiddenRoom(`${c.location ?? ''} ${c.name ?? ''}`)?.kind === 'in');
  const securityMeasures = (p.securityMeasures ?? []).map((m) => str(strings, `security.${m}`));
  const view: Record<string, unknown> = {
    lang,
    school: { ...facts.school, contact: contact(facts.school.email, facts.school.phone) },
    controller: p.controller ?? facts.school.board ?? facts.school.name,
    controllerContact: contact(facts.school.address, facts.school.email, facts.school.phone) ?? str(strings, 'missing'),
    legalBasis: { key: legalBasis, text: str(strings, `legalBasis.${legalBasis}`), short: str(strings, `legalBasisShort.${legalBasis}`), publicTask: legalBasis === 'public-task' },
    legitimateInterest: p.legitimateInterest,
    publicTaskBasis: p.publicTaskBasis,
    purposes,
    purposesFromCameras: !p.purposes?.length,
    fg: p.fg ? { ...p.fg, contact: contact(p.fg.email, p.fg.phone) } : undefined,
    beheerder: p.beheerder
      ? {
          ...p.beheerder,
          who: contact(p.beheerder.name, p.beheerder.organisation),
          agreement: p.beheerder.processorAgreement ? { date: date(p.beheerder.processorAgreement.date), reference: p.beheerder.processorAgreement.reference } : undefined,
        }
      : undefined,
    viewers,
    consent: p.consent ? { body: p.consent.body, date: date(p.consent.date) } : undefined,
    consentBody: p.consent?.body ?? 'MR',
    signage: p.signage ? { confirmed: p.signage.confirmed, date: date(p.signage.date) } : undefined,
    audio,
    noPrivateRooms,
    security: { given: p.securityMeasures !== undefined, measures: securityMeasures },
    recordingHours: p.recordingHours,
    liveViewing: p.liveViewing,
    liveViewingKnown: p.liveViewing !== undefined,
    remoteAccess: p.remoteAccess,
    remoteAccessKnown: p.remoteAccess !== undefined,
    hasProcessorAgreement: Boolean(p.beheerder?.processorAgreement),
    police: p.policeDisclosure !== false,
    safetyPolicy: p.safetyPolicy,
    securityPlan: p.securityPlan,
    complaints: p.complaints,
    information: p.information,
    has: {
      cameras: facts.cameras.length > 0,
      surveillance: uses('surveillance') || uses('unassigned'),
      covert: covert.length > 0,
      coaching: uses('coaching'),
      onlineLesson: uses('online-lesson'),
      livestream: uses('livestream'),
      media: uses('media'),
      externalBeheerder: p.beheerder?.external === true,
      ownRetention: ownRetention.length > 0,
    },
    cameras: overt.map(camera),
    allCameras: facts.cameras.map(camera),
    covertCameras: covert.map((c) => ({
      ...camera(c),
      decision: c.authorisation?.decision ?? str(strings, 'missing'),
      decidedOn: date(c.authorisation?.decidedOn),
      suspicion: c.authorisation?.suspicion ?? str(strings, 'missing'),
      from: date(c.authorisation?.from) ?? str(strings, 'missing'),
      until: date(c.authorisation?.until) ?? str(strings, 'missing'),
      fgAdvice: c.authorisation?.fgAdvice ? { date: date(c.authorisation.fgAdvice.date), summary: c.authorisation.fgAdvice.summary } : undefined,
      staffConsent: c.authorisation?.staffConsent ? date(c.authorisation.staffConsent.date) : undefined,
    })),
    retentionRows,
    ownRetention,
    retention: Object.fromEntries(Object.entries(facts.retention).map(([k, v]) => [k === 'online-lesson' ? 'onlineLesson' : k, describeRetention(v, strings)])),
    document: {
      version: version.version,
      status: str(strings, `status.${status}`),
      adopted: status === 'vastgesteld',
      adoptedOn: date(facts.settings.adoptedOn),
      adoptedBy: facts.settings.adoptedBy,
      date: date(facts.settings.adoptedOn ?? version.createdAt.slice(0, 10)),
      revisionDate: date(version.revisionDate),
    },
    dpia: facts.dpia.version !== undefined || facts.dpia.adoptedOn ? { version: facts.dpia.version, adoptedOn: date(facts.dpia.adoptedOn), status: facts.dpia.status } : undefined,
    missing: str(strings, 'missing'),
  };
  if (facts.document === 'dpia' || facts.document === 'covert-annex') view.dpiaAnswers = dpiaView(facts, strings, date, { audio, noPrivateRooms });
  return escapeDeep(view);
}

/** A default measure is listed only when the settings show it is in place. */
function measureInPlace(measure: string, facts: Facts, truth: { audio: boolean; noPrivateRooms: boolean }): boolean {
  const p = facts.privacy;
  const security = p.securityMeasures ?? [];
  switch (measure) {
    case 'no-audio':
      return !truth.audio;
    case 'no-private-rooms':
      return truth.noPrivateRooms;
    case 'encryption':
      return security.includes('encrypted-storage') || security.includes('encrypted-transport');
    case 'access-roles':
      return security.includes('personal-accounts');
    case 'signage':
      return p.signage?.confirmed === true;
    case 'mr-consent':
      return p.consent !== undefined;
    case 'processor-agreement':
      return p.beheerder?.processorAgreement !== undefined;
    default:
      return true;
  }
}

function dpiaView(facts: Facts, strings: Strings, date: (v: string | undefined) => string | undefined, truth: { audio: boolean; noPrivateRooms: boolean }): Record<string, unknown> {
  const a = facts.answers ?? {};
  const levelText = (r: { likelihood: number; impact: number } | undefined): string => !r ? str(strings, 'dpia.notAssessed') : `${r.likelihood} × ${r.impact} = ${r.likelihood * r.impact} (${str(strings, `dpia.levels.${riskLevel(r)}`)})`;
  const risks = applicableRisks(a, { privacy: facts.privacy, hasCovert: facts.document === 'covert-annex' })
    .filter((r) => (facts.document === 'covert-annex') === (r.id === 'covert-misuse'))
    .map((r) => ({
    id: r.id,
    title: str(strings, `dpia.risks.${r.id}.title`),
    description: str(strings, `dpia.risks.${r.id}.description`),
    before: levelText(r.before),
    after: levelText(r.after),
    residualHigh: r.after !== undefined && riskLevel(r.after) === 'high',
    measures: r.measures ?? r.defaultMeasures.filter((m) => measureInPlace(m, facts, truth)).map((m) => str(strings, `dpia.measures.${m}`)),
  }));
  const high = risks.filter((r) => r.residualHigh);
  return {
    ...a,
    fgAdvice: a.fgAdvice ? { ...a.fgAdvice, date: date(a.fgAdvice.date) } : undefined,
    mrView: a.mrView ? { ...a.mrView, date: date(a.mrView.date) } : undefined,
    decision: a.decision ? { ...a.decision, date: date(a.decision.date) } : undefined,
    actions: (a.actions ?? []).map((x) => ({ ...x, due: date(x.due) ?? '' , owner: x.owner ?? '' })),
    risks,
    residualHigh: high.length > 0,
    highRisks: high.map((r) => r.title),
  };
}
