// What toezicht needs to know about a footage file to cut it without decoding it.

export interface TrackInfo {
  /** The container's stream id (MP4 track id): what ffmpeg's concat demuxer matches with exact_stream_id. */
  id: number;
  kind: 'video' | 'audio' | 'other';
  codec: string;
  samples: number;
}

/** Random reads of a file or an object (a FileHandle fits; so does storage's SegmentReader). */
export interface RandomAccess {
  readonly bytes: number;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
}

/**
 * Where the video frames lie in an MP4 file and their times in the track's own units: what it takes to copy the
 * frames into a new file without ffmpeg.
 */
export interface VideoLayout {
  timescale: number;
  /** Decode time of each frame (track units, before the edit list). */
  decodeTimes: Float64Array;
  /** Presentation minus decode time of each frame (track units). */
  compositionOffsets: Int32Array;
  /** Duration of each frame (track units). */
  sampleDurations: Uint32Array;
  /** Byte position of each frame in the file. */
  offsets: Float64Array;
  /** The track's sample description box (stsd), as it is: codec and decoder configuration. */
  sampleDescription: Buffer;
  /** Every frame uses the first sample description (the only case a copy can keep as it is). */
  singleDescription: boolean;
  /** The track has a sync-sample table (otherwise every frame is a keyframe). */
  hasSyncTable: boolean;
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
  /** Present when toezicht's own MP4 reader read the file. */
  layout?: VideoLayout;
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
