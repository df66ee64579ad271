// The inputs of a document: everything from the config (and the DPIA answers) that its text depends on,
// independent of language. Their hash names the version: same inputs, same version.
import type { Config } from '../config/index.js';
import type { ComplianceCamera } from '../policy/compliance/index.js';
import { CATEGORIES, type Category } from '../policy/retention.js';
import { canonicalJson, sha256Hex } from '../register/index.js';
import type { DpiaAnswers } from './dpia/answers.js';
import { applicableRisks } from './dpia/risks.js';
import type { RenderKind } from './types.js';

/** A camera as the documents see it: its retention is the one that applies (its own or its category's). */
export type FactsCamera = Omit<ComplianceCamera, 'effectiveRetention'>;

export interface Facts {
  document: RenderKind;
  /** Digest of the templates the text is made from. */
  templates: string;
  school: Config['school'];
  privacy: Config['privacy'];
  settings: NonNullable<Config['documents']['reglement']>;
  /** Recording categories the school uses: its cameras' and its practices (Teams lessons, phones …). */
  categories: Category[];
  cameras: FactsCamera[];
  retention: Record<Category, string | undefined>;
  /** The DPIA this document refers to (reglement) or is (dpia). */
  dpia: { version?: number; status?: string; adoptedOn?: string };
  answers?: DpiaAnswers;
}

/**
 * A hidden camera exists only in the confidential annex: every other document is made from the inventory without
 * it (and without the covert retention), so adding or removing one changes neither their text nor their version.
 */
export function buildFacts(config: Config, document: RenderKind, options: { templates: string; answers?: DpiaAnswers; dpiaVersion?: number }): Facts {
  const annex = document === 'covert-annex';
  const inventory = config.cameras.filter((c) => (c.category === 'covert') === annex);
  const cameras: FactsCamera[] = inventory.map((c) => ({
    id: c.id,
    ...(c.name ? { name: c.name } : {}),
    ...(c.location ? { location: c.location } : {}),
    ...(c.purpose ? { purpose: c.purpose } : {}),
    category: c.category,
    ...(c.effectiveRetention ? { retention: c.effectiveRetention } : {}),
    ...(c.retentionJustification ? { retentionJustification: c.retentionJustification } : {}),
    ...(c.audio !== undefined ? { audio: c.audio } : {}),
    ...(c.authorisation ? { authorisation: c.authorisation } : {}),
    ...(c.outsideLessonsOnly !== undefined ? { outsideLessonsOnly: c.outsideLessonsOnly } : {}),
    ...(c.recordingHours ? { recordingHours: c.recordingHours } : {}),
  }));
  const used = new Set<Category>([...cameras.map((c) => c.category), ...(annex ? [] : (config.privacy.practices ?? []))]);
  const { timezone: _tz, ...school } = config.school;
  const dpiaSettings = config.documents.dpia;
  return {
    document,
    templates: options.templates,
    school: { ...school, timezone: config.school.timezone },
    privacy: config.privacy,
    settings: (document === 'dpia' || annex ? (({ answers: _a, ...rest }) => rest)(dpiaSettings ?? {}) : config.documents[document]) ?? {},
    categories: CATEGORIES.filter((c) => used.has(c)),
    cameras,
    retention: (annex ? { covert: config.retention.covert } : (({ covert: _c, ...rest }) => rest)(config.retention)) as Facts['retention'],
    dpia: {
      ...(options.dpiaVersion !== undefined ? { version: options.dpiaVersion } : {}),
      ...(dpiaSettings?.status ? { status: dpiaSettings.status } : {}),
      ...(dpiaSettings?.adoptedOn ? { adoptedOn: dpiaSettings.adoptedOn } : {}),
    },
    ...(options.answers ? { answers: resolvedAnswers(options.answers, config, annex) } : {}),
  };
}

// Risk ratings as they apply, whether the school wrote them or took the starting ratings: the same DPIA text
// is the same version, however the answers file spelled it.
function resolvedAnswers(answers: DpiaAnswers, config: Config, annex: boolean): DpiaAnswers {
  const risks = applicableRisks(answers, { privacy: config.privacy, hasCovert: annex });
  return { ...answers, risks: Object.fromEntries(risks.filter((r) => r.before && r.after).map((r) => [r.id, { before: r.before!, after: r.after!, ...(r.measures ? { measures: r.measures } : {}) }])) };
}

export function factsHash(facts: Facts): string {
  return sha256Hex(canonicalJson(facts));
}
