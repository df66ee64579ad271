// The inputs of a document: everything from the config (and the DPIA answers) that its text depends on,
// independent of language. Their hash names the version: same inputs, same version.
import type { Config } from '../config/index.js';
import { CATEGORIES, type Category } from '../policy/retention.js';
import { canonicalJson, sha256Hex } from '../register/index.js';
import type { DpiaAnswers } from './dpia/answers.js';
import type { DocumentKind } from './types.js';

export interface FactsCamera {
  id: string;
  name?: string;
  location?: string;
  purpose?: string;
  category: Category;
  retention?: string;
  retentionJustification?: string;
  audio?: boolean;
  authorisation?: { decision: string; decidedOn?: string; suspicion?: string; from: string; until: string };
}

export interface Facts {
  document: DocumentKind;
  /** Digest of the templates the text is made from. */
  templates: string;
  school: Config['school'];
  privacy: Config['privacy'];
  settings: NonNullable<Config['documents'][DocumentKind]>;
  /** Recording categories the school uses: its cameras' and its practices (Teams lessons, phones …). */
  categories: Category[];
  cameras: FactsCamera[];
  retention: Record<Category, string | undefined>;
  /** The DPIA this document refers to (reglement) or is (dpia). */
  dpia: { version?: number; status?: string; adoptedOn?: string };
  answers?: DpiaAnswers;
}

export function buildFacts(config: Config, document: DocumentKind, options: { templates: string; answers?: DpiaAnswers; dpiaVersion?: number }): Facts {
  const cameras: FactsCamera[] = config.cameras.map((c) => ({
    id: c.id,
    ...(c.name ? { name: c.name } : {}),
    ...(c.location ? { location: c.location } : {}),
    ...(c.purpose ? { purpose: c.purpose } : {}),
    category: c.category,
    ...(c.effectiveRetention ? { retention: c.effectiveRetention } : {}),
    ...(c.retentionJustification ? { retentionJustification: c.retentionJustification } : {}),
    ...(c.audio !== undefined ? { audio: c.audio } : {}),
    ...(c.authorisation ? { authorisation: c.authorisation } : {}),
  }));
  const used = new Set<Category>([...cameras.map((c) => c.category), ...(config.privacy.practices ?? [])]);
  const { timezone: _tz, ...school } = config.school;
  const dpiaSettings = config.documents.dpia;
  return {
    document,
    templates: options.templates,
    school: { ...school, timezone: config.school.timezone },
    privacy: config.privacy,
    settings: (document === 'dpia' ? (({ answers: _a, ...rest }) => rest)(dpiaSettings ?? {}) : config.documents[document]) ?? {},
    categories: CATEGORIES.filter((c) => used.has(c)),
    cameras,
    retention: config.retention,
    dpia: {
      ...(options.dpiaVersion !== undefined ? { version: options.dpiaVersion } : {}),
      ...(dpiaSettings?.status ? { status: dpiaSettings.status } : {}),
      ...(dpiaSettings?.adoptedOn ? { adoptedOn: dpiaSettings.adoptedOn } : {}),
    },
    ...(options.answers ? { answers: options.answers } : {}),
  };
}

export function factsHash(facts: Facts): string {
  return sha256Hex(canonicalJson(facts));
}
