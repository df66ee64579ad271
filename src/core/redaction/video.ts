// The clip: what ffprobe says about it, and its frames decoded as raw YUV 4:2:0 for the planner and the renderer.
// Both decode with the same arguments, so frame n of the plan is frame n of the render.
import { loadProcesses, resolveTool, runTool, streamTool, type ResolvedTool } from '../media/index.js';
import { ToezichtError, UsageError } from '../errors.js';
import { frameBytes, type Frame } from './detect/image.js';

export interface Tools {
  ffmpeg: ResolvedTool;
  ffprobe: ResolvedTool;
}

export function tools(configured: { ffmpeg?: string; ffprobe?: string } = {}): Tools {
  return { ffmpeg: resolveTool('ffmpeg', configured.ffmpeg), ffprobe: resolveTool('ffprobe', configured.ffprobe) };
}

export interface ClipInfo {
  width: number;
  height: number;
  fps: { num: number; den: number };
  durationSeconds: number;
  hasAudio: boolean;
  codec: string;
}

export async function probeClip(t: Tools, file: string): Promise<ClipInfo> {
  let out: string;
  try {
    ({ stdout: out } = await runTool(t.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file]));
  } catch (error) {
    throw new UsageError('redaction.input-unreadable', `${file} is not a video ffprobe can read; check the path or the file.`, { cause: error });
  }
  const info = JSON.parse(out) as {
    streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number; r_frame_rate?: string; avg_frame_rate?: string; duration?: string }[];
    format?: { duration?: string };
  };
  const video = info.streams?.find((s) => s.codec_type === 'video');
  if (!video?.width || !video.height) throw new UsageError('redaction.input-no-video', `${file} has no video stream; give the clip itself.`);
  const fps = parseRate(video.avg_frame_rate) ?? parseRate(video.r_frame_rate);
  if (!fps) throw new UsageError('redaction.input-no-rate', `${file} has no frame rate ffprobe can read; re-mux the clip first.`);
  const duration = Number(video.duration ?? info.format?.duration ?? NaN);
  return {
    width: video.width,
    height: video.height,
    fps,
    durationSeconds: Number.isFinite(duration) ? duration : 0,
    hasAudio: Boolean(info.streams?.some((s) => s.codec_type === 'audio')),
    codec: video.codec_name ?? 'unknown',
  };
}

function parseRate(rate: string | undefined): { num: number; den: number } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(rate ?? '');
  if (!m) return undefined;
  const num = Number(m[1]);
  const den = Number(m[2]);
  if (!num || !den || num / den > 1000) return undefined;
  return { num, den };
}

export interface Range {
  /** Seconds from the start of the clip. */
  start: number;
  /** Seconds; undefined: to the end. */
  duration?: number;
}

/** Arguments that make ffmpeg's input selection and frame timing the same in every pass. */
export function rangeInputArgs(file: string, range: Range): string[] {
  return [...(range.start > 0 ? ['-ss', range.start.toFixed(6)] : []), '-i', file, ...(range.duration !== undefined ? ['-t', range.duration.toFixed(6)] : [])];
}

/**
 * Frame buffers for reuse. A fresh 1.4 MB buffer per 720p frame costs more than copying the frame into it (the
 * kernel maps and clears new pages every time), so the decoder fills released buffers where it can.
 */
export class FramePool {
  private readonly free: Uint8Array[] = [];

  constructor(
    readonly bytes: number,
    /** Buffers kept for reuse at most. */
    private readonly keep = 256,
  ) {}

  acquire(): Uint8Array {
    return this.free.pop() ?? new Uint8Array(this.bytes);
  }

  /** Gives a buffer back once nothing reads it any more (painted, written, copied). */
  release(buffer: Uint8Array): void {
    if (buffer.byteLength === this.bytes && buffer.byteOffset === 0 && this.free.length < this.keep) this.free.push(buffer);
  }
}

/**
 * Decodes the range of the clip to raw yuv420p frames at full size and the clip's own frame rate (constant: a
 * variable-rate clip is evened out to it, as the encoder writes it). With a pool, each frame's buffer comes from it,
 * and the caller releases it when done.
 */
export async function* decodeFrames(t: Tools, file: string, info: ClipInfo, range: Range, options: { signal?: AbortSignal; pool?: FramePool } = {}): AsyncGenerator<Frame> {
  const args = [
    '-hide_banner', '-nostdin', '-v', 'error',
    ...rangeInputArgs(file, range),
    '-map', '0:v:0', '-an', '-sn', '-dn',
    // The video's own first frame is frame 0: in a clip whose audio starts earlier (a recorder's AAC priming), a
    // constant-rate timeline counted from the file's start would begin with a copy of it.
    '-vf', 'setpts=PTS-STARTPTS',
    '-vsync', 'cfr', '-r', `${info.fps.num}/${info.fps.den}`,
    '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1',
  ];
  await loadProcesses();
  const child = streamTool(t.ffmpeg, args);
  const size = frameBytes(info.width, info.height);
  const pool = options.pool?.bytes === size ? options.pool : new FramePool(size, 0);
  let current = pool.acquire();
  let filled = 0;
  let finished = false;
  const onAbort = () => child.kill();
  options.signal?.addEventListener('abort', onAbort);
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(size - filled, chunk.length - offset);
        current.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === size) {
          const frame = current;
          current = pool.acquire();
          filled = 0;
          yield { width: info.width, height: info.height, data: frame };
        }
      }
    }
    await child.done;
    finished = true;
    if (options.signal?.aborted) throw stopped();
    if (filled > 0) throw new ToezichtError('redaction.decode-partial', `ffmpeg ended in the middle of a frame of ${file}; the clip may be damaged.`);
  } finally {
    pool.release(current);
    options.signal?.removeEventListener('abort', onAbort);
    if (!finished) {
      child.kill();
      await child.done.catch(() => undefined);
    }
  }
}

/** A run stopped by its caller's signal: not a damaged or short clip, and nothing of it is kept. */
export function stopped(): ToezichtError {
  return new ToezichtError('redaction.stopped', 'Redaction was stopped before the end of the clip; nothing was written. Run it again to redact the clip.');
}
