// Finding and reading the config file (cosmiconfig), keeping line numbers so problems can point at them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Loader } from 'cosmiconfig';
import type { Document, LineCounter } from 'yaml';
import { UsageError } from '../errors.js';
import { cachedConfig, findConfigQuickly, rememberConfig } from './cache.js';
import { formatKeyPath, type KeyPath } from './constants.js';
import type { Config, ConfigProblem, ConfigWarning } from './validate.js';

export const MODULE_NAME = 'toezicht';
/** Where a config is looked for, in each folder from the current one up to the home folder. */
export const SEARCH_PLACES = [
  'toezicht.config.yaml',
  'toezicht.config.yml',
  'toezicht.config.json',
  'toezicht.config.js',
  'toezicht.config.mjs',
  'toezicht.config.cjs',
  '.toezichtrc',
  '.toezichtrc.yaml',
  '.toezichtrc.yml',
  '.toezichtrc.json',
  '.config/toezichtrc',
  '.config/toezichtrc.yaml',
  '.config/toezichtrc.yml',
  'package.json',
];
/** The system-wide config, for cron jobs that run from anywhere. */
export const SYSTEM_CONFIG = '/etc/toezicht/toezicht.config.yaml';

interface SourceText {
  doc: Document.Parsed;
  lines: LineCounter;
}

export interface LocatedProblem extends ConfigProblem {
  file?: string;
  line?: number;
  column?: number;
}

export interface LoadedConfig {
  config: Config;
  file: string;
  warnings: (ConfigWarning & { file: string; line?: number })[];
}

/** A config that is missing or invalid: exit 2, one line per problem. */
export class ConfigError extends UsageError {
  readonly problems: LocatedProblem[];
  constructor(message: string, problems: LocatedProblem[], code = 'config.invalid') {
    super(code, message, { details: problems.map(formatProblem) });
    this.problems = problems;
  }
}

export function formatProblem(p: LocatedProblem): string {
  const where = p.file ? `${path.relative(process.cwd(), p.file) || p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''} ` : '';
  return p.path.length ? `${where}${formatKeyPath(p.path)}: ${p.message}` : `${where}${p.message}`;
}

async function makeExplorer(sources: Map<string, SourceText>) {
  const [{ cosmiconfig }, { LineCounter, parseDocument }] = await Promise.all([import('cosmiconfig'), import('yaml')]);
  const yamlLoader: Loader = (filepath, content) => {
    const lines = new LineCounter();
    const doc = parseDocument(content, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
    sources.set(filepath, { doc, lines });
    if (doc.errors.length) {
      const problems = doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return { file: filepath, line: pos?.line, column: pos?.col, path: [], message: `not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` };
      });
      throw new ConfigError(`The config file ${filepath} cannot be read; fix the YAML syntax at the line shown.`, problems, 'config.syntax');
    }
    return doc.toJS({ maxAliasCount: 100 }) ?? null;
  };
  return cosmiconfig(MODULE_NAME, {
    searchPlaces: SEARCH_PLACES,
    searchStrategy: 'global',
    loaders: { '.yaml': yamlLoader, '.yml': yamlLoader, noExt: yamlLoader, '.json': yamlLoader },
    cache: false,
  });
}

/** Where a key path stands in the file, as far as the file says (YAML and JSON). */
async function locator(): Promise<(source: SourceText | undefined, keyPath: KeyPath) => { line?: number; column?: number }> {
  const { isMap, isScalar } = await import('yaml');
  return (source, keyPath) => locate(source, keyPath, isMap, isScalar);
}

function locate(
  source: SourceText | undefined,
  keyPath: KeyPath,
  isMap: typeof import('yaml').isMap,
  isScalar: typeof import('yaml').isScalar,
): { line?: number; column?: number } {
  if (!source) return {};
  // Walk as far as the document goes; an unknown or missing key points at its parent.
  for (let n = keyPath.length; n >= 0; n--) {
    const parent = keyPath.slice(0, n - 1);
    const last = keyPath[n - 1];
    let offset: number | undefined;
    if (n === 0) offset = 0;
    else {
      const container = parent.length ? source.doc.getIn(parent, true) : source.doc.contents;
      if (isMap(container) && last !== undefined) {
        const pair = container.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
        offset = pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      } else {
        const node = source.doc.getIn([...parent, last!], true) as { range?: [number, number, number] } | undefined;
        offset = node?.range?.[0];
      }
    }
    if (offset !== undefined) {
      const pos = source.lines.linePos(offset);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}

export interface LoadOptions {
  /** `--config FILE`; otherwise searched from `cwd`. */
  file?: string;
  cwd?: string;
}

/**
 * Reads and validates the config; throws ConfigError (exit 2) with every problem when it is missing or invalid.
 * A file unchanged since it was last validated (same bytes, same folder, same toezicht) is taken from the cache
 * without loading the YAML parser, cosmiconfig or the schema: most commands start a third faster (issue 19.12).
 */
export async function loadConfig(options: LoadOptions = {}): Promise<LoadedConfig> {
  const quick = findConfigQuickly(options);
  const hit = quick ? cachedConfig(quick) : undefined;
  if (hit) return hit;
  const loaded = await loadAndValidate(options);
  rememberConfig(loaded);
  return loaded;
}

async function loadAndValidate(options: LoadOptions): Promise<LoadedConfig> {
  const sources = new Map<string, SourceText>();
  const explorer = await makeExplorer(sources);
  let result: { config: unknown; filepath: string; isEmpty?: boolean } | null;
  try {
    if (options.file) {
      const file = path.resolve(options.cwd ?? process.cwd(), options.file);
      if (!existsSync(file)) {
        throw new ConfigError(`No config file at ${file}; check the path, or run \`toezicht init --config ${options.file}\` to create one.`, [], 'config.missing');
      }
      result = await explorer.load(file);
    } else {
      result = await explorer.search(options.cwd ?? process.cwd());
      if (!result && existsSync(SYSTEM_CONFIG)) result = await explorer.load(SYSTEM_CONFIG);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const file = options.file ? path.resolve(options.cwd ?? process.cwd(), options.file) : undefined;
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(`The config file${file ? ` ${file}` : ''} cannot be read: ${message}.`, [{ file, path: [], message: message ?? 'unreadable' }], 'config.unreadable');
  }
  if (!result) {
    throw new ConfigError(
      'No toezicht config found (toezicht.config.yaml in this folder or above, or /etc/toezicht); run `toezicht init` to create one, or pass --config FILE.',
      [],
      'config.missing',
    );
  }
  const file = result.filepath;
  const source = sources.get(file);
  const [{ validateConfig }, where] = await Promise.all([import('./validate.js'), locator()]);
  const { config, problems, warnings } = validateConfig(result.isEmpty ? null : result.config, path.dirname(file));
  if (!config) {
    const located = problems.map((p) => ({ ...p, file, ...where(source, p.path) }));
    throw new ConfigError(
      `The config file ${path.relative(process.cwd(), file) || file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; fix ${problems.length === 1 ? 'it' : 'them'} and run \`toezicht config validate\`.`,
      located,
    );
  }
  config.file = file;
  return { config, file, warnings: warnings.map((w) => ({ ...w, file, ...where(source, w.path) })) };
}
