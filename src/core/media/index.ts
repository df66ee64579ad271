// Media: finding and running ffmpeg and ffprobe.
export { resolveTool, runTool, streamTool, type ResolvedTool, type RunResult, type StreamingTool, type ToolName } from './ffmpeg.js';
