// One resolver for ffmpeg and ffprobe, for every caller: the config, then FFMPEG_PATH / FFPROBE_PATH, then
// the npm packages that ship a binary, then PATH. ffmpeg-static downloads at install time and may be absent.
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ToezichtError } from '../errors.js';

export type ToolName = 'ffmpeg' | 'ffprobe';

export interface ResolvedTool {
  name: ToolName;
  path: string;
  /** Where it came from, for --verbose and manifests. */
  source: 'config' | 'env' | 'ffmpeg-static' | '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe' | 'PATH';
}

const require = createRequire(import.meta.url);

function executable(file: string | undefined): file is string {
  if (!file || !existsSync(file)) return false;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fromPackage(specifier: string, pick: (mod: unknown) => unknown): string | undefined {
  try {
    const value = pick(require(specifier));
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

const cache = new Map<string, ResolvedTool>();

/** Finds `name`, or throws a ToezichtError that says how to provide one. */
export function resolveTool(name: ToolName, configured?: string): ResolvedTool {
  const key = `${name}|${configured ?? ''}|${process.env.FFMPEG_PATH ?? ''}|${process.env.FFPROBE_PATH ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const env = name === 'ffmpeg' ? process.env.FFMPEG_PATH : process.env.FFPROBE_PATH;
  const candidates: [ResolvedTool['source'], string | undefined][] = [
    ['config', configured],
    ['env', env],
    ...(name === 'ffmpeg'
      ? ([
          ['ffmpeg-static', fromPackage('ffmpeg-static', (m) => m)],
          ['@ffmpeg-installer/ffmpeg', fromPackage('@ffmpeg-installer/ffmpeg', (m) => (m as { path?: string }).path)],
        ] as [ResolvedTool['source'], string | undefined][])
      : ([['@ffprobe-installer/ffprobe', fromPackage('@ffprobe-installer/ffprobe', (m) => (m as { path?: string }).path)]] as [ResolvedTool['source'], string | undefined][])),
    ['PATH', onPath(name)],
  ];
  for (const [source, file] of candidates) {
    if (source === 'config' || source === 'env') {
      if (file === undefined || file === '') continue;
      // A binary the user named must be there: falling back silently would hide their mistake.
      if (!executable(file)) {
        throw new ToezichtError(`${name}.unusable`, `The ${name} named by ${source === 'config' ? `ffmpeg.${name === 'ffmpeg' ? 'path' : 'ffprobe'} in the config` : name === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH'} (${file}) is not an executable file; fix the path.`);
      }
    }
    if (executable(file)) {
      const tool = { name, path: file, source };
      cache.set(key, tool);
      return tool;
    }
  }
  throw new ToezichtError(
    `${name}.missing`,
    `No ${name} found; install one (\`apt install ffmpeg\`), or set ffmpeg.${name === 'ffmpeg' ? 'path' : 'ffprobe'} in the config or ${name === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH'}.`,
  );
}

type Execa = typeof import('execa');
let processes: Execa | undefined;

/**
 * Loads the process runner (execa) on first use: a command that runs no tool, or an export that copies the clip
 * itself, never pays for it at start-up. Await it before `streamTool`, which must return its streams at once.
 */
export async function loadProcesses(): Promise<Execa> {
  processes ??= await import('execa');
  return processes;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs ffmpeg or ffprobe; a failure says why, the exact command, and the end of its stderr. */
export async function runTool(tool: ResolvedTool, args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const { execa } = await loadProcesses();
  const result = await execa(tool.path, args, {
    reject: false,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    stdin: 'ignore',
  });
  if (result.exitCode !== 0 || result.failed) {
    const tail = String(result.stderr ?? '').trim().split('\n').slice(-5).join('\n');
    throw new ToezichtError(`${tool.name}.failed`, `${tool.name} failed (${result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signal}`}): ${tail.split('\n').at(-1) ?? ''}`.trim(), {
      details: [`command: ${tool.path} ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`, ...tail.split('\n')],
      cause: result,
    });
  }
  return { stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

export interface StreamingTool {
  /** The child's stdin (raw frames to an encoder), when asked for. */
  stdin: NodeJS.WritableStream | null;
  /** The child's stdout (raw frames from a decoder). */
  stdout: NodeJS.ReadableStream;
  /** Resolves when the tool exits 0; rejects with the same error runTool gives. */
  done: Promise<void>;
  /** Stops the tool (on an error elsewhere in the pipeline). */
  kill(): void;
}

/** Runs ffmpeg with its stdout (and optionally stdin) as streams, for frame pipelines. */
export function streamTool(tool: ResolvedTool, args: string[], options: { stdin?: boolean } = {}): StreamingTool {
  if (!processes) throw new Error('streamTool: await loadProcesses() first');
  const child = processes.execa(tool.path, args, {
    reject: false,
    stdin: options.stdin ? 'pipe' : 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: { stdout: false, stderr: true },
    encoding: 'buffer',
    maxBuffer: { stderr: 1_000_000 },
  });
  let killed = false;
  const done = child.then((result) => {
    if (killed) return;
    if (result.exitCode !== 0 || result.failed) {
      const tail = Buffer.from(result.stderr ?? '').toString('utf8').trim().split('\n').slice(-5).join('\n');
      throw new ToezichtError(`${tool.name}.failed`, `${tool.name} failed (exit ${result.exitCode ?? result.signal}): ${tail.split('\n').at(-1) ?? ''}`.trim(), {
        details: [`command: ${tool.path} ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`, ...tail.split('\n')],
        cause: result,
      });
    }
  });
  // Callers await `done` when they are ready; until then a failure must not count as unhandled.
  done.catch(() => undefined);
  return {
    stdin: child.stdin ?? null,
    stdout: child.stdout!,
    done,
    kill() {
      killed = true;
      child.kill('SIGKILL');
    },
  };
}
