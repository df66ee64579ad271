// What toezicht needs to know about a footage file to cut it without decoding it.

export interface TrackInfo {
  /** The container's stream id (MP4 track id): what ffmpeg's concat demuxer matches with exact_stream_id. */
  id: number;
  kind: 'video' | 'audio' | 'other';
  codec: string;
  samples: number;
}

/** The frames of the video track, in the file's own presentation timeline (seconds, 0 = the file's origin). */
export interface VideoTimeline {
  trackId: number;
  codec: string;
  width?: number;
  height?: number;
  /** Short hash of the decoder configuration (avcC/hvcC): segments that differ here cannot be joined as they are. */
  config?: string;
  /** Decode time of each frame, in decode order. */
  dts: Float64Array;
  /** Presentation time of each frame. */
  pts: Float64Array;
  durations: Float64Array;
  /** Size of each frame in bytes (undefined when the reader could not tell). */
  sizes?: Uint32Array;
  /** Indices (decode order) of the frames a decoder can start at. */
  keyframes: Uint32Array;
}

export interface MediaInfo {
  /** `mp4` when read by toezicht's own reader, else the format ffprobe names. */
  container: string;
  file: string;
  bytes: number;
  /** Earliest presentation time over all tracks (what ffmpeg takes as the file's start). */
  start: number;
  tracks: TrackInfo[];
  video: VideoTimeline;
}

/** First presentation time and end (last presentation time plus its duration) of a timeline. */
export function timelineSpan(v: VideoTimeline): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  for (let i = 0; i < v.pts.length; i++) {
    start = Math.min(start, v.pts[i]!);
    end = Math.max(end, v.pts[i]! + v.durations[i]!);
  }
  return { start, end };
}
