// Pure validation of a parsed config object: every problem with its key path, then cross-checks between keys.
import path from 'node:path';
import type * as z from 'zod';
import { CATEGORIES, RETENTION_GUIDELINES, retentionTooShort, retentionWarnings, type Category } from '../policy/retention.js';
import { compilePattern } from '../storage/layouts/index.js';
import { overlapsReally, realPathOf } from '../storage/real-path.js';
import { parseInstant } from '../time/index.js';
import { recorderCheck } from './recorders.js';
import { configSchema, type CameraConfig, type DocumentSettings, type ParsedConfig, type PrivacySettings, type StorageConfig } from './schema.js';

import { formatKeyPath, type KeyPath } from './constants.js';

export { formatKeyPath, type KeyPath } from './constants.js';

export interface ConfigProblem {
  path: KeyPath;
  message: string;
}

export interface ConfigWarning {
  path: KeyPath;
  rule: string;
  message: string;
  source?: string;
}

export interface ResolvedCamera extends CameraConfig {
  /** Name inside the storage layout (defaults to the id). */
  path: string;
  /** The school (schools[].id) whose camera it is, in a board's config. */
  school?: string;
  /** The retention setting that applies: the camera's own, else its category's (with the brief's defaults). */
  effectiveRetention: string | undefined;
}

/**
 * A storage with its paths resolved. `root` is where it is, for people and for overlap checks: the absolute folder of
 * a file tree, `s3://bucket/prefix` for a bucket.
 */
export type ResolvedStorage = StorageConfig & { root: string; school?: string };

/** A storage of segment files (a file tree or a bucket), as opposed to a recorder that keeps footage itself. */
export type FileStorage = Exclude<ResolvedStorage, { type: 'recorder' }>;
export type RecorderStorage = Extract<ResolvedStorage, { type: 'recorder' }>;


/** One school of a board's config, with the ids of its cameras and storages. */
export interface ResolvedSchool {
  id: string;
  name: string;
  brin?: string;
  cameras: string[];
  storages: string[];
}

/** The configuration after validation, with defaults filled in and paths made absolute. */
export interface Config {
  /** The file it was read from (undefined for a config built in memory). */
  file?: string;
  /** Folder relative paths are resolved against. */
  dir: string;
  school: ParsedConfig['school'];
  /** The register: an absolute file path, or a postgres:// URL (without password). */
  register: string;
  /** Every storage, the board's and each school's. */
  storage: ResolvedStorage[];
  /** Every camera, the board's and each school's. */
  cameras: ResolvedCamera[];
  /** A board's schools (empty for a one-school config). */
  schools: ResolvedSchool[];
  retention: Record<Category, string | undefined>;
  ffmpeg: { path?: string; ffprobe?: string };
  /** Evidence packages: the folder footage purge looks after (absolute), when configured. */
  exports: { root?: string };
  /** Letters of data-subject requests (absolute; default rights/ next to the config). */
  rights: { root: string };
  /** Who may do what; an undefined list allows nobody. */
  access: { export?: string[] };
  /** Folder with the school's signing key (absolute). */
  keys: { dir: string };
  /** Language of the CLI's human text (nl or en); undefined: the environment's (LANG). */
  language?: 'nl' | 'en';
  /** Defaults for device discovery; the credentials file made absolute. */
  discovery: { credentials?: string; interface?: string; sweep?: string[] };
  /** Who is responsible and what the documents say (empty when the config says nothing). */
  privacy: PrivacySettings;
  /** Status, adoption and revision of each document; the DPIA answers path made absolute. */
  documents: Partial<Record<'reglement' | 'protocol' | 'sign' | 'letter', DocumentSettings>> & { dpia?: DocumentSettings & { answers?: string } };
}

export interface ValidationResult {
  config?: Config;
  problems: ConfigProblem[];
  warnings: ConfigWarning[];
}

/** Validates `input` (as read from the file in `dir`) and resolves it. Pure: reads no files. */
export function validateConfig(input: unknown, dir: string): ValidationResult {
  if (input === null || input === undefined) {
    return { problems: [{ path: [], message: 'the config is empty; expected at least a school: { name: … }' }], warnings: [] };
  }
  const parsed = configSchema.safeParse(input);
  // Cross-checks run on the raw input too, so one run reports every problem, not the schema's first.
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => describeIssue(issue, input))),
    ...crossCheck(input),
    ...exportsCheck(input, dir),
    ...retentionFloorCheck(input),
    ...recorderCheck(input),
  ];
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${formatKeyPath(p.path)}|${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  if (!parsed.success || unique.length) return { problems: unique, warnings: [] };

  const cfg = parsed.data;
  const warnings = retentionAndCovertWarnings(cfg);
  const retention = Object.fromEntries(
    CATEGORIES.map((c) => [c, cfg.retention[c] ?? RETENTION_GUIDELINES[c].default]),
  ) as Record<Category, string | undefined>;
  const config: Config = {
    dir,
    school: cfg.school,
    register: REGISTER_URL.test(cfg.register) ? cfg.register : path.resolve(dir, cfg.register),
    storage: [
      ...cfg.storage.map((s) => resolveStorage(s, dir)),
      ...(cfg.schools ?? []).flatMap((school) => school.storage.map((s) => ({ ...resolveStorage(s, dir), school: school.id }))),
    ],
    cameras: [
      ...cfg.cameras.map((c) => resolveCamera(c, retention)),
      ...(cfg.schools ?? []).flatMap((school) => school.cameras.map((c) => ({ ...resolveCamera(c, retention), school: school.id }))),
    ],
    schools: (cfg.schools ?? []).map((school) => ({
      id: school.id,
      name: school.name,
      ...(school.brin ? { brin: school.brin } : {}),
      cameras: school.cameras.map((c) => c.id),
      storages: school.storage.map((s) => s.id),
    })),
    retention,
    ffmpeg: {
      ...(cfg.ffmpeg?.path ? { path: path.resolve(dir, cfg.ffmpeg.path) } : {}),
      ...(cfg.ffmpeg?.ffprobe ? { ffprobe: path.resolve(dir, cfg.ffmpeg.ffprobe) } : {}),
    },
    discovery: {
      ...cfg.discovery,
      ...(cfg.discovery?.credentials ? { credentials: path.resolve(dir, cfg.discovery.credentials) } : {}),
    },
    privacy: cfg.privacy ?? {},
    documents: {
      ...cfg.documents,
      ...(cfg.documents?.dpia ? { dpia: { ...cfg.documents.dpia, ...(cfg.documents.dpia.answers ? { answers: path.resolve(dir, cfg.documents.dpia.answers) } : {}) } } : {}),
    },
    exports: cfg.exports?.root ? { root: path.resolve(dir, cfg.exports.root) } : {},
    rights: { root: path.resolve(dir, cfg.rights?.root ?? 'rights') },
    access: cfg.access?.export ? { export: [...cfg.access.export] } : {},
    keys: { dir: path.resolve(dir, cfg.keys?.dir ?? '.toezicht/keys') },
    ...(cfg.language ? { language: cfg.language } : {}),
  };
  return { config, problems: [], warnings };
}

const REGISTER_URL = /^postgres(ql)?:\/\//i;

function resolveStorage(s: StorageConfig, dir: string): ResolvedStorage {
  if (s.type === 'recorder') return { ...s, root: `onvif://${s.address}` };
  if (s.type === 's3') return { ...s, root: `s3://${s.bucket}/${s.prefix}`, ...(s.credentials ? { credentials: path.resolve(dir, s.credentials) } : {}) };
  return { ...s, root: path.resolve(dir, s.root) };
}

function resolveCamera(c: CameraConfig, retention: Record<Category, string | undefined>): ResolvedCamera {
  return { ...c, path: c.path ?? c.id, effectiveRetention: c.retention ?? retention[c.category] };
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const listOf = (v: unknown): Loose[] => (Array.isArray(v) ? v.map((x) => (isObject(x) ? x : {})) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Checks between keys (ids, references, patterns, dates), on whatever parts of the input have the right shape. */
function crossCheck(input: unknown): ConfigProblem[] {
  if (!isObject(input)) return [];
  const problems: ConfigProblem[] = [];
  const timeZone = str(isObject(input.school) ? input.school.timezone : undefined) ?? 'Europe/Amsterdam';
  // A board's schools add their storages and cameras to the board's own: ids are unique across all of them.
  const schools = listOf(input.schools);
  const storageEntries = [
    ...listOf(input.storage).map((s, i) => ({ s, at: ['storage', i] as KeyPath, school: undefined as string | undefined })),
    ...schools.flatMap((sc, k) => listOf(sc.storage).map((s, i) => ({ s, at: ['schools', k, 'storage', i] as KeyPath, school: str(sc.id) }))),
  ];
  const cameraEntries = [
    ...listOf(input.cameras).map((c, i) => ({ c, at: ['cameras', i] as KeyPath, school: undefined as string | undefined })),
    ...schools.flatMap((sc, k) => listOf(sc.cameras).map((c, i) => ({ c, at: ['schools', k, 'cameras', i] as KeyPath, school: str(sc.id) }))),
  ];
  const cameras = cameraEntries.map((e) => e.c);
  const schoolIds = new Set<string>();
  schools.forEach((sc, k) => {
    const id = str(sc.id);
    if (id !== undefined && schoolIds.has(id)) problems.push({ path: ['schools', k, 'id'], message: `duplicate school id "${id}"` });
    if (id !== undefined) schoolIds.add(id);
  });
  const register = str(input.register);
  if (register !== undefined && REGISTER_URL.test(register)) {
    let password = false;
    try {
      password = new URL(register).password !== '';
    } catch {
      problems.push({ path: ['register'], message: 'expected a URL such as postgres://toezicht@db.bestuur.nl/toezicht' });
    }
    if (password) problems.push({ path: ['register'], message: 'the URL holds a password; remove it and set TOEZICHT_REGISTER_PASSWORD (or use ~/.pgpass): a config file is no place for secrets' });
  }

  const storageIds = new Set<string>();
  const storageSchool = new Map<string, string | undefined>();
  storageEntries.forEach(({ s, at, school }) => {
    const id = str(s.id);
    if (id !== undefined && storageIds.has(id)) problems.push({ path: [...at, 'id'], message: `duplicate storage id "${id}"${school !== undefined || storageSchool.get(id) !== undefined ? ' (storage ids are unique across the board)' : ''}` });
    if (id !== undefined) {
      storageIds.add(id);
      storageSchool.set(id, school);
    }
    const pattern = str(s.pattern);
    if (s.layout === 'pattern') {
      if (pattern === undefined) problems.push({ path: [...at, 'pattern'], message: 'layout pattern needs a pattern, e.g. "{camera}/{YYYY}{MM}{DD}/{HH}{mm}{ss}.mp4"' });
      else {
        const compiled = compilePattern(pattern);
        if (typeof compiled === 'string') problems.push({ path: [...at, 'pattern'], message: compiled });
        else if (!compiled.hasCamera) {
          const users = cameras.filter((c) => c.storage === id).length;
          if (users > 1) {
            problems.push({
              path: [...at, 'pattern'],
              message: `the pattern has no {camera}, but ${users} cameras use storage "${id}"; add {camera} or give each camera its own storage`,
            });
          }
        }
      }
    } else if (pattern !== undefined && typeof s.layout === 'string') {
      problems.push({ path: [...at, 'pattern'], message: `pattern applies to layout pattern only (this storage has layout ${s.layout})` });
    }
    if (s.layout === 'frigate' && s.timezone !== undefined && s.timezone !== 'UTC') {
      problems.push({ path: [...at, 'timezone'], message: 'Frigate writes its folders in UTC; remove timezone or set it to UTC' });
    }
  });

  const cameraIds = new Set<string>();
  const layoutNames = new Map<string, string>();
  const deviceKeys = new Map<string, string>();
  cameraEntries.forEach(({ c, at, school }) => {
    const id = str(c.id);
    if (id !== undefined && cameraIds.has(id)) problems.push({ path: [...at, 'id'], message: `duplicate camera id "${id}"${schools.length ? ' (camera ids are unique across the board: prefix them with the school, e.g. klimop-entree)' : ''}` });
    if (id !== undefined) cameraIds.add(id);
    const storage = str(c.storage);
    if (storage !== undefined) {
      if (!storageIds.has(storage)) {
        problems.push({
          path: [...at, 'storage'],
          message: `unknown storage "${storage}"; expected one of: ${storageIds.size ? [...storageIds].join(', ') : '(no storage is defined)'}`,
        });
      } else if (school !== undefined && storageSchool.get(storage) !== undefined && storageSchool.get(storage) !== school) {
        problems.push({ path: [...at, 'storage'], message: `storage "${storage}" belongs to school "${storageSchool.get(storage)}"; a camera of school "${school}" may use its own school's storages or the board's` });
      } else {
        const key = `${storage}\u0000${str(c.path) ?? id}`;
        const other = layoutNames.get(key);
        if (other !== undefined) problems.push({ path: [...at, 'path'], message: `camera "${id}" has the same path in storage "${storage}" as camera "${other}"` });
        layoutNames.set(key, id ?? '?');
      }
    }
    if (isObject(c.authorisation)) {
      const fromText = str(c.authorisation.from);
      const untilText = str(c.authorisation.until);
      const from = fromText === undefined ? undefined : parseInstant(fromText, timeZone);
      const until = untilText === undefined ? undefined : parseInstant(untilText, timeZone, { dateOnly: 'end' });
      if (fromText !== undefined && from === undefined) problems.push({ path: [...at, 'authorisation', 'from'], message: 'expected a valid date such as 2026-10-20' });
      if (untilText !== undefined && until === undefined) problems.push({ path: [...at, 'authorisation', 'until'], message: 'expected a valid date such as 2026-11-20' });
      if (from !== undefined && until !== undefined && until <= from) {
        problems.push({ path: [...at, 'authorisation', 'until'], message: 'the authorised period ends before it starts' });
      }
    }
    if (isObject(c.device)) {
      // One device, one inventory entry: discovery matches on these keys.
      for (const key of ['serial', 'urn'] as const) {
        const raw = str(c.device[key]);
        if (raw === undefined) continue;
        const value = key === 'urn' ? raw.toLowerCase().replace(/^urn:/, '').replace(/^uuid:/, '') : raw;
        const other = deviceKeys.get(`${key}\u0000${value}`);
        if (other !== undefined) problems.push({ path: [...at, 'device', key], message: `camera "${id}" has the same device ${key} as camera "${other}"` });
        else deviceKeys.set(`${key}\u0000${value}`, id ?? '?');
      }
    }
    const since = str(c.since);
    if (since !== undefined && /^\d{4}-\d{2}-\d{2}/.test(since) && parseInstant(since, timeZone) === undefined) {
      problems.push({ path: [...at, 'since'], message: 'expected a valid date such as 2026-10-20' });
    }
  });

  // Dates the documents print: a day that does not exist (2026-02-30) is a problem, not a silent blank.
  const privacy = isObject(input.privacy) ? input.privacy : {};
  const documents = isObject(input.documents) ? input.documents : {};
  const dates: [KeyPath, unknown][] = [
    [['privacy', 'consent', 'date'], isObject(privacy.consent) ? privacy.consent.date : undefined],
    [['privacy', 'signage', 'date'], isObject(privacy.signage) ? privacy.signage.date : undefined],
    [['privacy', 'beheerder', 'processorAgreement', 'date'], isObject(privacy.beheerder) && isObject(privacy.beheerder.processorAgreement) ? privacy.beheerder.processorAgreement.date : undefined],
  ];
  for (const [name, settings] of Object.entries(documents)) {
    if (!isObject(settings)) continue;
    dates.push([['documents', name, 'adoptedOn'], settings.adoptedOn], [['documents', name, 'revisionDate'], settings.revisionDate]);
  }
  for (const [at, value] of dates) {
    const text = str(value);
    if (text !== undefined && /^\d{4}-\d{2}-\d{2}/.test(text) && parseInstant(text.slice(0, 10), timeZone) === undefined) {
      problems.push({ path: at, message: 'expected a valid date such as 2026-10-20' });
    }
  }
  return problems;
}

/**
 * Evidence packages must live apart from footage: the purge of footage would report them as strange files, and a
 * package removed as footage would leave its register entry behind.
 */
function exportsCheck(input: unknown, dir: string): ConfigProblem[] {
  if (!isObject(input)) return [];
  const inside = (child: string, parent: string): boolean => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
  const problems: ConfigProblem[] = [];
  // Letters of requests too: the purge would take them for strange files among the footage.
  const folders: [string, string, string][] = [
    ['exports', isObject(input.exports) ? (str(input.exports.root) ?? '') : '', 'evidence packages'],
    ['rights', isObject(input.rights) ? (str(input.rights.root) ?? '') : '', 'letters of data-subject requests'],
  ];
  for (const [key, rootText, what] of folders) {
    if (!rootText) continue;
    const root = path.resolve(dir, rootText);
    [...listOf(input.storage), ...listOf(input.schools).flatMap((sc) => listOf(sc.storage))].forEach((s) => {
      if (s.type === 's3') return;
      const storageRoot = str(s.root);
      if (storageRoot === undefined) return;
      const resolved = path.resolve(dir, storageRoot);
      // By real path too: a link to (or into) the footage is the footage.
      if (inside(root, resolved) || inside(resolved, root) || overlapsReally(root, resolved)) {
        const real = realPathOf(root) !== root ? ` (it leads to ${realPathOf(root)})` : '';
        problems.push({ path: [key, 'root'], message: `${what} must be kept apart from footage, but ${root}${real} and the root of storage "${str(s.id) ?? '?'}" (${resolved}) overlap` });
      }
    });
  }
  return problems;
}

/** Retention shorter than a day, per category and per camera (a board's schools' cameras too). */
function retentionFloorCheck(input: unknown): ConfigProblem[] {
  if (!isObject(input)) return [];
  const problems: ConfigProblem[] = [];
  const isCategory = (v: unknown): v is Category => typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
  const retention = isObject(input.retention) ? input.retention : {};
  for (const [category, setting] of Object.entries(retention)) {
    const text = str(setting);
    const problem = isCategory(category) && text !== undefined ? retentionTooShort(category, text) : undefined;
    if (problem) problems.push({ path: ['retention', category], message: problem });
  }
  const cameras: [Loose, KeyPath][] = [
    ...listOf(input.cameras).map((c, i) => [c, ['cameras', i]] as [Loose, KeyPath]),
    ...listOf(input.schools).flatMap((sc, k) => listOf(sc.cameras).map((c, i) => [c, ['schools', k, 'cameras', i]] as [Loose, KeyPath])),
  ];
  for (const [c, at] of cameras) {
    const text = str(c.retention);
    const problem = isCategory(c.category) && text !== undefined ? retentionTooShort(c.category, text) : undefined;
    if (problem) problems.push({ path: [...at, 'retention'], message: problem });
  }
  return problems;
}

/** Retention beyond the guidelines, periods the school must still set, covert cameras without an authorisation. */
function retentionAndCovertWarnings(cfg: ParsedConfig): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  cfg.cameras.forEach((c, i) => {
    if (c.authorisation && c.category !== 'covert') {
      warnings.push({ path: ['cameras', i, 'authorisation'], rule: 'camera.authorisation.not-covert', message: `camera "${c.id}" has an authorisation but its category is ${c.category}` });
    }
    if (c.retention !== undefined) {
      for (const w of retentionWarnings(c.category, c.retention, `cameras[${i}].retention`)) warnings.push({ path: ['cameras', i, 'retention'], ...w });
    }
    if (c.category === 'covert' && !c.authorisation && (c.retention ?? cfg.retention.covert ?? 'authorisation') === 'authorisation') {
      warnings.push({
        path: ['cameras', i],
        rule: 'camera.covert.no-authorisation',
        message: `covert camera "${c.id}" has no authorisation (decision, from, until): its footage is kept until one is recorded`,
        source: 'seed 001 §5',
      });
    }
  });
  const usedCategories = new Set(cfg.cameras.filter((c) => c.retention === undefined).map((c) => c.category));
  for (const category of CATEGORIES) {
    const setting = cfg.retention[category];
    if (setting === undefined && !usedCategories.has(category)) continue;
    for (const w of retentionWarnings(category, setting, `retention.${category}`)) warnings.push({ path: ['retention', category], ...w });
  }
  return warnings;
}

// ---- turning zod's issues into one sentence per problem ----

function describeIssue(issue: z.core.$ZodIssue, input: unknown): ConfigProblem[] {
  const at = issue.path as KeyPath;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(at, input);
      return issue.keys.map((key) => {
        const hint = closest(key, allowed);
        return {
          path: [...at, key],
          message: `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; allowed here: ${allowed.join(', ')}`,
        };
      });
    }
    case 'invalid_type': {
      const value = valueAt(input, at);
      if (value === undefined) return [{ path: at, message: `is required (expected ${article(issue.expected)})` }];
      return [{ path: at, message: `expected ${article(issue.expected)}, got ${describeValue(value)}` }];
    }
    case 'invalid_value':
      return [{ path: at, message: `expected one of ${issue.values.map(String).join(', ')}; got ${describeValue(valueAt(input, at))}` }];
    case 'invalid_union': {
      const disc = (issue as { discriminator?: string; options?: unknown[] }).discriminator;
      if (disc) {
        const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
        return [{ path: [...at], message: `expected one of ${options.join(', ')}; got ${describeValue(valueAt(input, at))}` }];
      }
      return [{ path: at, message: issue.message }];
    }
    case 'too_small':
      return [{ path: at, message: issue.origin === 'string' ? 'must not be empty' : `must be at least ${String(issue.minimum)}` }];
    default:
      return [{ path: at, message: issue.message }];
  }
}

function valueAt(input: unknown, at: KeyPath): unknown {
  let v: unknown = input;
  for (const part of at) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[part];
  }
  return v;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

function article(expected: string): string {
  const names: Record<string, string> = { object: 'a mapping (key: value)', array: 'a list', string: 'a text', number: 'a number', boolean: 'true or false' };
  return names[expected] ?? expected;
}

// The keys the schema allows at a path, found by walking zod's definitions along it.
function allowedKeys(at: KeyPath, input: unknown): string[] {
  let schema: unknown = configSchema;
  let value: unknown = input;
  const unwrap = (s: unknown): unknown => {
    let cur = s as { _zod: { def: Record<string, unknown> } };
    for (let i = 0; i < 10; i++) {
      const def = cur._zod.def;
      if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) cur = def.innerType as typeof cur;
      else if (def.type === 'pipe' && def.in) cur = def.in as typeof cur;
      else if (def.type === 'union' && Array.isArray(def.options)) {
        const type = (value as { type?: unknown } | undefined)?.type;
        const match = (def.options as (typeof cur)[]).find((o) => {
          const shape = o._zod.def.shape as Record<string, { _zod: { def: { values?: unknown[] } } }> | undefined;
          return shape?.type?._zod.def.values?.includes(type);
        });
        cur = match ?? (def.options as (typeof cur)[])[0]!;
      } else break;
    }
    return cur;
  };
  schema = unwrap(schema);
  for (const part of at) {
    const def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
    value = (value as Record<string | number, unknown> | undefined)?.[part];
    if (def.type === 'object') schema = unwrap((def.shape as Record<string, unknown>)[part as string]);
    else if (def.type === 'array') schema = unwrap(def.element);
    else return [];
    if (!schema) return [];
  }
  const def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
  return def.type === 'object' ? Object.keys(def.shape as object) : [];
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
