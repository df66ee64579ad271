// Media: finding and running ffmpeg and ffprobe (and streaming frames through them), reading a footage file's
// frames, joining segments without re-encoding.
export { loadProcesses, resolveTool, runTool, streamTool, type ResolvedTool, type RunResult, type StreamingTool, type ToolName } from './ffmpeg.js';
export { toolVersion } from './version.js';
export { inspectMedia, probeMedia, MediaProblem } from './inspect.js';
export { NeedsProbe } from './mp4.js';
export { inspectMp4, openMediaFile } from './mp4.js';
export { concatCopy, concatList, concatArgs, ConcatError, type ConcatJob, type ConcatPart } from './concat.js';
export { timelineSpan, type MediaInfo, type TrackInfo, type VideoTimeline } from './types.js';
export { writeMp4Clip, copyableLayouts, SourceReadError, type CopyPart, type Mp4CopyJob, type Mp4CopyResult } from './mp4-writer.js';
export type { RandomAccess, VideoLayout } from './types.js';
export { FrameSpool, type Picture } from './frame-clip.js';
export { readSps, avcSampleDescription } from './h264.js';
