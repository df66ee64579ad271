// Cross-checks for recorder storages (type: recorder) and the cameras on them: credentials without a password in
// the file, preserveTo naming a file tree or bucket, each camera naming its recording. On the raw input, as the other
// cross-checks, so one run reports every problem.
import type { ConfigProblem, KeyPath } from './validate.js';

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const listOf = (v: unknown): Loose[] => (Array.isArray(v) ? v.map((x) => (isObject(x) ? x : {})) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function recorderCheck(input: unknown): ConfigProblem[] {
  if (!isObject(input)) return [];
  const problems: ConfigProblem[] = [];
  const schools = listOf(input.schools);
  const storages = [
    ...listOf(input.storage).map((s, i) => ({ s, at: ['storage', i] as KeyPath })),
    ...schools.flatMap((sc, k) => listOf(sc.storage).map((s, i) => ({ s, at: ['schools', k, 'storage', i] as KeyPath }))),
  ];
  const cameras = [
    ...listOf(input.cameras).map((c, i) => ({ c, at: ['cameras', i] as KeyPath })),
    ...schools.flatMap((sc, k) => listOf(sc.cameras).map((c, i) => ({ c, at: ['schools', k, 'cameras', i] as KeyPath }))),
  ];
  const typeOf = new Map(storages.map(({ s }) => [str(s.id), str(s.type)]));
  const credentialsFile = isObject(input.discovery) && str(input.discovery.credentials) !== undefined;

  for (const { s, at } of storages) {
    if (s.type !== 'recorder') continue;
    const id = str(s.id) ?? '?';
    const user = str(s.user);
    const env = str(s.passwordEnv);
    if (user !== undefined && env === undefined) problems.push({ path: [...at, 'passwordEnv'], message: `recorder "${id}" has a user but no passwordEnv; name the environment variable that holds the password (never the password itself)` });
    else if (env !== undefined && user === undefined) problems.push({ path: [...at, 'user'], message: `recorder "${id}" has passwordEnv but no user; add the user to log in as` });
    else if (user === undefined && !credentialsFile) {
      problems.push({ path: at, message: `recorder "${id}" has no credentials; add user and passwordEnv, or a credentials file in discovery.credentials` });
    }
    const target = str(s.preserveTo);
    if (target !== undefined) {
      if (!typeOf.has(target)) problems.push({ path: [...at, 'preserveTo'], message: `unknown storage "${target}"; preserveTo names a file-tree (fs) or bucket (s3) storage of this config` });
      else if (typeOf.get(target) === 'recorder') problems.push({ path: [...at, 'preserveTo'], message: `storage "${target}" is a recorder; preserveTo names a file-tree (fs) or bucket (s3) storage, where held footage is safe from the recorder's own overwriting` });
    }
  }

  const tokens = new Map<string, string>();
  for (const { c, at } of cameras) {
    const storage = str(c.storage);
    const recording = str(c.recording);
    const id = str(c.id) ?? '?';
    const onRecorder = storage !== undefined && typeOf.get(storage) === 'recorder';
    // A camera on a recorder without its recording is allowed (`cameras discover --save` fills it in); status and
    // purge report it until it is set.
    if (recording !== undefined && storage !== undefined && typeOf.has(storage) && !onRecorder) {
      problems.push({ path: [...at, 'recording'], message: `recording applies to cameras on a recorder storage; storage "${storage}" is not one` });
    }
    if (onRecorder && recording !== undefined) {
      const key = `${storage}\u0000${recording}`;
      const other = tokens.get(key);
      if (other !== undefined) problems.push({ path: [...at, 'recording'], message: `camera "${id}" names the same recording of "${storage}" as camera "${other}"` });
      else tokens.set(key, id);
    }
  }
  return problems;
}
