// Joining and cutting segments without re-encoding: ffmpeg's concat demuxer with stream copy. toezicht plans every
// cut itself (from the frame tables) and hands ffmpeg exact in-points and durations, so the output's timeline is
// known before it is written: keyframe cuts, gaps kept as gaps, no drift from audio tracks it leaves out.
import { writeFile } from 'node:fs/promises';
import { ToezichtError } from '../errors.js';
import { loadProcesses, type ResolvedTool } from './ffmpeg.js';

export interface ConcatPart {
  file: string;
  /** Where to start in the file (seconds, its own decode timeline); ffmpeg starts at the keyframe at or before it. */
  inpoint?: number;
  /** How much output time this file takes up before the next one starts (seconds); longer than its frames = a gap. */
  duration?: number;
}

export interface ConcatJob {
  parts: ConcatPart[];
  /** The list file to write (beside the output). */
  listFile: string;
  output: string;
  /**
   * Container stream ids to pass on, video first (MP4 track ids). Streams not named here are dropped inside the
   * demuxer, so a left-out audio track cannot shift the clip's start. Undefined: the first video stream (and audio).
   */
  streamIds?: number[];
  keepAudio: boolean;
  /** Stop at this output time (seconds): frames from here on are left out. */
  limit?: number;
  /** Written as the clip's creation_time (its true start). */
  creationTime: string;
  /**
   * Let ffmpeg repeat the parameter sets in the stream (h264_mp4toannexb). Needed only when the segments' decoder
   * configurations differ; otherwise every frame is copied byte for byte.
   */
  convertParameterSets: boolean;
  /** Output time reached, in seconds, about twice a second. */
  onProgress?: (seconds: number) => void;
  signal?: AbortSignal;
}

export class ConcatError extends ToezichtError {
  /** The input file ffmpeg could not open or read, when it said which. */
  readonly file?: string;
  constructor(message: string, options: { file?: string; details: string[] }) {
    super('ffmpeg.concat', message, { details: options.details });
    if (options.file) this.file = options.file;
  }
}

/** Seconds as the concat demuxer reads them (microseconds), never rounded below the value. */
function seconds(value: number): string {
  return (Math.ceil(value * 1e6 - 1e-6) / 1e6).toFixed(6);
}

function quote(file: string): string {
  return `'${file.replace(/'/g, "'\\''")}'`;
}

export function concatList(job: Pick<ConcatJob, 'parts' | 'streamIds'>): string {
  const lines = ['ffconcat version 1.0'];
  for (const id of job.streamIds ?? []) lines.push('stream', `exact_stream_id ${id}`);
  for (const part of job.parts) {
    lines.push(`file ${quote(part.file)}`);
    if (part.inpoint !== undefined) lines.push(`inpoint ${seconds(part.inpoint)}`);
    if (part.duration !== undefined) lines.push(`duration ${seconds(part.duration)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function concatArgs(job: ConcatJob): string[] {
  const maps = job.streamIds?.length
    ? job.streamIds.flatMap((_, i) => ['-map', `0:${i}`])
    : ['-map', '0:v:0', ...(job.keepAudio ? ['-map', '0:a?'] : [])];
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning',
    // Progress goes to our pipe; if toezicht dies, ffmpeg's next write fails and it stops too.
    '-progress', 'pipe:1',
    '-auto_convert', job.convertParameterSets ? '1' : '0',
    '-f', 'concat', '-safe', '0', '-i', job.listFile,
    ...maps,
    '-c', 'copy', '-dn', '-sn',
    ...(job.keepAudio ? [] : ['-an']),
    // Nothing of the recorder's container metadata, and no encoder tag: the same inputs give the same bytes.
    '-map_metadata', '-1', '-map_chapters', '-1',
    '-metadata', `creation_time=${job.creationTime}`,
    '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact',
    ...(job.limit !== undefined ? ['-t', seconds(job.limit)] : []),
    '-f', 'mp4', '-n', job.output,
  ];
}

/** Runs the join; resolves with ffmpeg's warnings (timestamps it had to fix, for example). */
export async function concatCopy(tool: ResolvedTool, job: ConcatJob): Promise<{ warnings: string[] }> {
  await writeFile(job.listFile, concatList(job));
  const args = concatArgs(job);
  const { execa } = await loadProcesses();
  const child = execa(tool.path, args, {
    reject: false,
    stdin: 'ignore',
    buffer: { stdout: false, stderr: true },
    ...(job.signal ? { cancelSignal: job.signal } : {}),
  });
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const m = /^out_time_(?:ms|us)=(\d+)/.exec(line);
      if (m && job.onProgress) job.onProgress(Number(m[1]) / 1e6);
    }
  });
  const result = await child;
  const stderr = String(result.stderr ?? '');
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  if (result.isCanceled) throw new ToezichtError('export.interrupted', 'The export was interrupted; nothing was written.');
  if (result.exitCode !== 0 || result.failed) {
    const named = /Impossible to open '([^']+)'/.exec(stderr) ?? /^\[[^\]]+\] (?:.*?)'([^']+)'/m.exec(stderr);
    const tail = lines.slice(-6);
    throw new ConcatError(`ffmpeg could not join the segments (${result.signal ?? `exit ${result.exitCode}`}): ${tail.at(-1) ?? 'no message'}`, {
      ...(named?.[1] ? { file: named[1] } : {}),
      details: [`command: ${tool.path} ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`, ...tail],
    });
  }
  return { warnings: lines };
}
