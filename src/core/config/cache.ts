// Start-up: a config is validated once per change, not on every command. The result of a validation that passed is
// kept under the user's cache folder, keyed by the file's path and bytes and by the build that validated it; a
// command whose config has not changed reads it back without loading the YAML parser, cosmiconfig or zod.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { SEARCH_PLACES as PLACES, type LoadedConfig, type LoadOptions } from './load.js';

// Of cosmiconfig's search places, only these are read here without it.
const QUICK = new Set(['toezicht.config.yaml', 'toezicht.config.yml']);

export interface QuickFind {
  file: string;
  text: string;
}

/**
 * The config file as cosmiconfig would find it, when that is plain: `--config` naming a YAML file, or a
 * toezicht.config.yaml in this folder or above with no other candidate (a package.json, an rc file) nearer. Anything
 * else is left to the full search.
 */
export function findConfigQuickly(options: LoadOptions): QuickFind | undefined {
  try {
    const cwd = options.cwd ?? process.cwd();
    if (options.file) {
      const file = path.resolve(cwd, options.file);
      return /\.ya?ml$/.test(file) && existsSync(file) ? { file, text: readFileSync(file, 'utf8') } : undefined;
    }
    const home = homedir();
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
      const found = PLACES.find((p) => existsSync(path.join(dir, p)));
      if (found) return QUICK.has(found) ? { file: path.join(dir, found), text: readFileSync(path.join(dir, found), 'utf8') } : undefined;
      if (dir === home || dir === path.dirname(dir)) return undefined;
    }
  } catch {
    return undefined;
  }
}

// The build that validates: a changed schema or validation must not be answered from an older one's result.
function buildStamp(): string | undefined {
  const files = ['validate.js', 'schema.js'].map((n) => new URL(n, import.meta.url));
  if (!files.every((f) => existsSync(f))) return undefined; // run from source (tests): always validate
  return files.map((f) => statSync(f).mtimeMs).join('|');
}

function cacheDir(): string | undefined {
  const base = process.env.XDG_CACHE_HOME || (process.env.HOME ? path.join(process.env.HOME, '.cache') : undefined);
  return base ? path.join(base, 'toezicht', 'configs') : undefined;
}

/** One entry per config file (named by its path), holding the digest of what it validated: an edit replaces it. */
function entryOf(found: QuickFind): { file: string; digest: string } | undefined {
  const stamp = buildStamp();
  const dir = cacheDir();
  if (!stamp || !dir) return undefined;
  const name = createHash('sha256').update(found.file).digest('hex').slice(0, 32);
  const digest = createHash('sha256').update(`${stamp}\0${found.file}\0${found.text}`).digest('hex');
  return { file: path.join(dir, `${name}.v8`), digest };
}

export function cachedConfig(found: QuickFind): LoadedConfig | undefined {
  const entry = entryOf(found);
  if (!entry || !existsSync(entry.file)) return undefined;
  try {
    const kept = deserialize(readFileSync(entry.file)) as { digest: string; loaded: LoadedConfig };
    return kept.digest === entry.digest ? kept.loaded : undefined;
  } catch {
    return undefined; // unreadable or from another Node: validate again
  }
}

// Entries of configs that no longer exist (temp folders, moved files) are dropped once there are this many.
const MAX_ENTRIES = 64;

/** Keeps a config that passed validation; a cache that cannot be written only costs the next start-up its speed. */
export function rememberConfig(loaded: LoadedConfig): void {
  try {
    const found = { file: loaded.file, text: readFileSync(loaded.file, 'utf8') };
    if (!QUICK.has(path.basename(found.file)) && !/\.ya?ml$/.test(found.file)) return;
    const entry = entryOf(found);
    if (!entry) return;
    const dir = path.dirname(entry.file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${entry.file}.${process.pid}.tmp`;
    writeFileSync(tmp, serialize({ digest: entry.digest, loaded }), { mode: 0o600 });
    renameSync(tmp, entry.file);
    prune(dir);
  } catch {
    // read-only home, full disk: fine
  }
}

/** Keeps the cache small: past MAX_ENTRIES, the least recently written half goes. */
function prune(dir: string): void {
  const names = readdirSync(dir).filter((n) => n.endsWith('.v8'));
  if (names.length <= MAX_ENTRIES) return;
  const byAge = names.map((n) => ({ n, t: statSync(path.join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of byAge.slice(0, names.length - MAX_ENTRIES / 2)) rmSync(path.join(dir, n), { force: true });
}
