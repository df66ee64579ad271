// The version a tool reports (`ffmpeg -version`'s first line), for manifests: which build cut the clip.
import { runTool, type ResolvedTool } from './ffmpeg.js';

const versions = new Map<string, string>();

export async function toolVersion(tool: ResolvedTool): Promise<string> {
  let v = versions.get(tool.path);
  if (v === undefined) {
    const { stdout } = await runTool(tool, ['-hide_banner', '-version']).catch(() => ({ stdout: '' }));
    v = /version (\S+)/.exec(stdout)?.[1] ?? 'unknown';
    versions.set(tool.path, v);
  }
  return v;
}
