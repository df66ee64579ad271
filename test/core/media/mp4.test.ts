import { copyFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectMedia, inspectMp4, MediaProblem, resolveTool, runTool } from '../../../src/core/media/index.js';
import { makeStream, removeStreams } from '../../helpers/footage.js';
import { tempDir } from '../../helpers/school.js';


afterAll(removeStreams);
const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface Packet {
  pts_time: string;
  dts_time: string;
  size: string;
  flags: string;
}

/** ffprobe's view of a file's video packets: the independent reference the reader must agree with. */
async function ffprobePackets(file: string): Promise<Packet[]> {
  const { stdout } = await runTool(resolveTool('ffprobe'), ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,dts_time,size,flags', '-of', 'json', file]);
  return (JSON.parse(stdout) as { packets: Packet[] }).packets;
}

describe('the MP4 reader', () => {
  it('reads the same frames, times, sizes and keyframes as ffprobe (with audio, first and later segments)', async () => {
    const segments = await makeStream({ seconds: 20, segmentSeconds: 10, audio: true, gop: 20 });
    for (const file of segments) {
      const info = await inspectMp4(file);
      const packets = await ffprobePackets(file);
      expect(info.video.pts.length).toBe(packets.length);
      packets.forEach((p, i) => {
        expect(info.video.pts[i]!).toBeCloseTo(Number(p.pts_time), 3);
        expect(info.video.dts[i]!).toBeCloseTo(Number(p.dts_time), 3);
        expect(info.video.sizes![i]).toBe(Number(p.size));
      });
      expect([...info.video.keyframes]).toEqual(packets.flatMap((p, i) => (p.flags.startsWith('K') ? [i] : [])));
      expect(info.tracks.map((t) => t.kind)).toEqual(['video', 'audio']);
      expect(info.video).toMatchObject({ codec: 'h264', width: 160, height: 90 });
    }
  });

  it('agrees with ffprobe on a stream with B-frames (decode and presentation order differ)', async () => {
    const [file] = await makeStream({ seconds: 6, segmentSeconds: 6, bframes: true, gop: 20 });
    const info = await inspectMp4(file!);
    const packets = await ffprobePackets(file!);
    expect(packets.some((p) => p.pts_time !== p.dts_time)).toBe(true);
    packets.forEach((p, i) => {
      expect(info.video.pts[i]!).toBeCloseTo(Number(p.pts_time), 3);
      expect(info.video.dts[i]!).toBeCloseTo(Number(p.dts_time), 3);
    });
  });

  it('names a truncated file, an empty file and a file that is no MP4', async () => {
    const [file] = await makeStream({ seconds: 10, segmentSeconds: 10 });
    const cut = path.join(tmp.dir, 'cut.mp4');
    copyFileSync(file!, cut);
    truncateSync(cut, Math.floor(readFileSync(file!).length / 2));
    await expect(inspectMp4(cut)).rejects.toThrow(/truncated/);
    const empty = path.join(tmp.dir, 'empty.mp4');
    writeFileSync(empty, '');
    await expect(inspectMp4(empty)).rejects.toThrow(/empty/);
    const text = path.join(tmp.dir, 'text.mp4');
    writeFileSync(text, 'this is not a video file at all, just some words\n');
    await expect(inspectMedia(text, () => resolveTool('ffprobe'))).rejects.toBeInstanceOf(MediaProblem);
  });

  it('reads other containers through ffprobe', async () => {
    const [file] = await makeStream({ seconds: 10, segmentSeconds: 10 });
    const mkv = path.join(tmp.dir, 'seg.mkv');
    await runTool(resolveTool('ffmpeg'), ['-hide_banner', '-loglevel', 'error', '-i', file!, '-c', 'copy', mkv]);
    const info = await inspectMedia(mkv, () => resolveTool('ffprobe'));
    expect(info.container).toMatch(/matroska/);
    expect(info.video.pts.length).toBe(100);
    expect([...info.video.keyframes]).toEqual([0, 20, 40, 60, 80]);
  });
});
