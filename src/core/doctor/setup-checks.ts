// Doctor's checks of the set-up itself: config, register, signing key, storage roots, ffmpeg.
import { createPrivateKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.js';
import { resolveTool, toolVersion } from '../media/index.js';
import { displayUrl, isRegisterUrl, type Register } from '../register/index.js';
import { folderState } from '../setup/index.js';
import { check, type DoctorCheck, type MarkerCheck } from './types.js';

// The key's file name, as evidence/signing.ts writes it (doctor reads it without loading the evidence area).
const PRIVATE_KEY_FILE = 'signing-key.pem';

/** The register's file: there and private (SQLite); a server's register is judged by connecting to it. */
export function registerFileCheck(config: Config): DoctorCheck | undefined {
  if (isRegisterUrl(config.register)) return undefined;
  if (!existsSync(config.register)) return check('register', 'fail', 'register.missing', { register: config.register });
  const mode = statSync(config.register).mode & 0o777;
  if (mode & 0o077) return check('register', 'fail', 'register.open', { register: config.register, mode: mode.toString(8) });
  return undefined;
}

/** The audit chain recomputed end to end (the same verification as `toezicht audit verify`). */
export async function registerChainCheck(config: Config, register: Register): Promise<DoctorCheck> {
  const where = isRegisterUrl(config.register) ? displayUrl(config.register) : config.register;
  const result = await register.verifyAudit();
  if (!result.ok) {
    const seq = result.broken?.seq ?? result.tamperedRuns[0]?.seq ?? 0;
    return check('register', 'fail', 'register.broken', { register: where, seq });
  }
  return check('register', 'ok', 'register.intact', { register: where, entries: result.entries });
}

export function keyCheck(config: Config): DoctorCheck {
  const file = path.join(config.keys.dir, PRIVATE_KEY_FILE);
  if (!existsSync(file)) return check('key', 'warn', 'key.missing', { file });
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) return check('key', 'fail', 'key.open', { file, mode: mode.toString(8) });
  try {
    if (createPrivateKey(readFileSync(file)).asymmetricKeyType !== 'ed25519') return check('key', 'fail', 'key.unreadable', { file });
  } catch {
    return check('key', 'fail', 'key.unreadable', { file });
  }
  return check('key', 'ok', 'key.private', { file });
}

/** The mount that holds `dir` (longest mount point above it), from /proc/self/mounts where there is one. */
function mountOf(dir: string): { point: string; type: string } | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return undefined;
  }
  let best: { point: string; type: string } | undefined;
  for (const line of text.split('\n')) {
    const [, point, type] = line.split(' ');
    if (!point || !type) continue;
    const p = point.replace(/\\040/g, ' ');
    if ((dir === p || dir.startsWith(p.endsWith('/') ? p : `${p}/`)) && (!best || p.length > best.point.length)) best = { point: p, type };
  }
  return best;
}

export async function storageChecks(config: Config, markerCheck: MarkerCheck | undefined): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  for (const s of config.storage) {
    if (s.type !== 'fs') {
      out.push(check('storage', 'skip', 'storage.bucket', { storage: s.id, root: s.root }));
      continue;
    }
    const state = folderState(s.root);
    if (state !== 'ok') {
      out.push(check('storage', 'fail', `storage.${state}`, { storage: s.id, root: s.root }));
      continue;
    }
    const mount = mountOf(s.root);
    const entries = readdirSync(s.root).length;
    const params = { storage: s.id, root: s.root, mount: mount?.point ?? '?', type: mount?.type ?? '?', entries };
    if (!markerCheck) {
      out.push(check('storage', entries ? 'ok' : 'warn', entries ? 'storage.readable' : 'storage.empty', params));
      continue;
    }
    const marker = await markerCheck({ id: s.id, root: s.root });
    out.push(marker.marked ? check('storage', 'ok', 'storage.marked', params) : check('storage', 'fail', 'storage.unmarked', { ...params, detail: marker.detail ?? '' }));
  }
  if (config.storage.length && !markerCheck) out.push(check('storage', 'skip', 'storage.no-markers'));
  if (!config.storage.length) out.push(check('storage', 'warn', 'storage.none'));
  return out;
}

export async function ffmpegChecks(config: Config | undefined): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  for (const name of ['ffmpeg', 'ffprobe'] as const) {
    try {
      const tool = resolveTool(name, name === 'ffmpeg' ? config?.ffmpeg.path : config?.ffmpeg.ffprobe);
      const version = await toolVersion(tool);
      out.push(check(name, version === 'unknown' ? 'fail' : 'ok', version === 'unknown' ? 'tool.broken' : 'tool.found', { tool: name, path: tool.path, source: tool.source, version }));
    } catch (error) {
      out.push(check(name, 'fail', 'tool.missing', { tool: name, problem: (error as Error).message }));
    }
  }
  return out;
}
