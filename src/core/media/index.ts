// Media: finding and running ffmpeg and ffprobe.
export { resolveTool, runTool, type ResolvedTool, type RunResult, type ToolName } from './ffmpeg.js';
