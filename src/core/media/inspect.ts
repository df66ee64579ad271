// One way to learn a footage file's frames: toezicht's own MP4 reader where it can, ffprobe for everything else
// (Matroska, MPEG-TS, fragmented MP4). A damaged file is a MediaProblem naming what is wrong with it.
import path from 'node:path';
import { runTool, type ResolvedTool } from './ffmpeg.js';
import { inspectMp4, MediaProblem, NeedsProbe } from './mp4.js';
import type { MediaInfo, TrackInfo } from './types.js';

export { MediaProblem } from './mp4.js';

const MP4_EXTENSIONS = new Set(['.mp4', '.m4v', '.mov']);

export async function inspectMedia(file: string, ffprobe: () => ResolvedTool): Promise<MediaInfo> {
  if (MP4_EXTENSIONS.has(path.extname(file).toLowerCase())) {
    try {
      return await inspectMp4(file);
    } catch (error) {
      if (!(error instanceof NeedsProbe)) throw error;
    }
  }
  return probeMedia(file, ffprobe());
}

interface ProbeJson {
  streams?: { index: number; id?: string; codec_type?: string; codec_name?: string; width?: number; height?: number }[];
  format?: { format_name?: string; start_time?: string; size?: string };
  packets?: { stream_index: number; pts_time?: string; dts_time?: string; duration_time?: string; size?: string; flags?: string }[];
}

/** Reads every packet's times with ffprobe: slower (one process per file), but any container ffmpeg knows. */
export async function probeMedia(file: string, ffprobe: ResolvedTool): Promise<MediaInfo> {
  let json: ProbeJson;
  try {
    const { stdout } = await runTool(ffprobe, [
      '-v', 'error',
      '-show_entries', 'stream=index,id,codec_type,codec_name,width,height:format=format_name,start_time,size:packet=stream_index,pts_time,dts_time,duration_time,size,flags',
      '-of', 'json',
      file,
    ]);
    json = JSON.parse(stdout) as ProbeJson;
  } catch (error) {
    const last = error instanceof Error ? error.message.replace(/^ffprobe failed \([^)]*\):\s*/, '') : String(error);
    throw new MediaProblem(`ffprobe cannot read it (${last || 'no reason given'})`);
  }
  const streams = json.streams ?? [];
  const videoStream = streams.find((s) => s.codec_type === 'video');
  if (!videoStream) throw new MediaProblem('it has no video stream');
  const packets = (json.packets ?? []).filter((p) => p.stream_index === videoStream.index && p.dts_time !== undefined && p.dts_time !== 'N/A');
  if (!packets.length) throw new MediaProblem('its video stream has no frames');
  const n = packets.length;
  const dts = new Float64Array(n);
  const pts = new Float64Array(n);
  const durations = new Float64Array(n);
  const sizes = new Uint32Array(n);
  const keys: number[] = [];
  packets.forEach((p, i) => {
    dts[i] = Number(p.dts_time);
    pts[i] = p.pts_time === undefined || p.pts_time === 'N/A' ? dts[i]! : Number(p.pts_time);
    durations[i] = Number(p.duration_time ?? 0) || 0;
    sizes[i] = Number(p.size ?? 0);
    if (p.flags?.startsWith('K')) keys.push(i);
  });
  // Containers without per-packet durations: take the gap to the next frame, and the last gap again at the end.
  for (let i = 0; i < n; i++) if (!durations[i]) durations[i] = i + 1 < n ? Math.max(0, dts[i + 1]! - dts[i]!) : i > 0 ? durations[i - 1]! : 0;
  const id = (s: { id?: string; index: number }): number => (s.id ? Number.parseInt(s.id, s.id.startsWith('0x') ? 16 : 10) : -1);
  const tracks: TrackInfo[] = streams.map((s) => ({
    id: id(s),
    kind: s.codec_type === 'video' ? 'video' : s.codec_type === 'audio' ? 'audio' : 'other',
    codec: s.codec_name ?? 'unknown',
    samples: (json.packets ?? []).filter((p) => p.stream_index === s.index).length,
  }));
  return {
    container: json.format?.format_name ?? 'unknown',
    file,
    bytes: Number(json.format?.size ?? 0),
    start: Number(json.format?.start_time ?? 0) || 0,
    tracks,
    video: {
      trackId: id(videoStream),
      codec: videoStream.codec_name ?? 'unknown',
      ...(videoStream.width ? { width: videoStream.width, height: videoStream.height ?? 0 } : {}),
      dts,
      pts,
      durations,
      sizes,
      keyframes: Uint32Array.from(keys),
    },
  };
}
