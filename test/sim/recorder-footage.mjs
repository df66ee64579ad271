// Real H.264 footage for the simulated recorder: a short clip made by ffmpeg (x264, no B-frames, a keyframe every
// `gop` frames, parameter sets before every keyframe), split into access units. A recording plays that clip in a
// loop from its start time, so frame k of any recording is known exactly (tests compare what they got with it).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** NAL units of an Annex B byte stream (start codes removed). */
export function annexBUnits(stream) {
  const starts = [];
  for (let i = 0; i + 3 <= stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  }
  const units = [];
  for (let k = 0; k < starts.length; k++) {
    let end = k + 1 < starts.length ? starts[k + 1] - 3 : stream.length;
    // A four-byte start code leaves one zero behind; trailing zeros belong to no NAL unit.
    while (end > starts[k] && stream[end - 1] === 0) end--;
    units.push(stream.subarray(starts[k], end));
  }
  return units;
}

/** Groups H.264 NAL units into access units: a new one begins at a parameter set, SEI or AUD after a slice, or at a slice after a slice (x264 writes one slice per picture). */
export function accessUnits(units) {
  const frames = [];
  let cur = [];
  let hasSlice = false;
  for (const nal of units) {
    const type = nal[0] & 0x1f;
    const slice = type === 1 || type === 5;
    if (hasSlice && (slice || type === 6 || type === 7 || type === 8 || type === 9)) {
      frames.push(cur);
      cur = [];
      hasSlice = false;
    }
    cur.push(Buffer.from(nal));
    if (slice) hasSlice = true;
  }
  if (cur.length) frames.push(cur);
  return frames.map((nals) => ({ nals, key: nals.some((n) => (n[0] & 0x1f) === 5) }));
}

/**
 * Makes a clip: `{ fps, gop, width, height, frames: [{nals, key}], sps, pps }`. `seconds * fps` must be a multiple
 * of `gop` so the loop keeps a keyframe every `gop` frames. `bitrate` (e.g. '4M') makes it that heavy (noise added).
 */
export async function makeClip({ ffmpeg = process.env.FFMPEG_PATH || 'ffmpeg', width = 320, height = 240, fps = 5, gop = 10, seconds = 4, bitrate } = {}) {
  const count = Math.round(seconds * fps);
  if (count % gop !== 0) throw new Error(`a clip of ${count} frames does not loop on a ${gop}-frame keyframe interval`);
  const dir = mkdtempSync(path.join(tmpdir(), 'toezicht-recorder-clip-'));
  const out = path.join(dir, 'clip.h264');
  try {
    await run(ffmpeg, [
      '-hide_banner', '-loglevel', 'error',
      '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
      ...(bitrate ? ['-vf', 'noise=alls=30:allf=t'] : []),
      '-frames:v', String(count),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '0', '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0',
      '-x264-params', 'repeat-headers=1',
      ...(bitrate ? ['-b:v', bitrate, '-maxrate', bitrate, '-bufsize', bitrate] : []),
      '-pix_fmt', 'yuv420p', '-f', 'h264', out,
    ]);
    const frames = accessUnits(annexBUnits(readFileSync(out)));
    if (frames.length !== count) throw new Error(`ffmpeg made ${frames.length} frames, not ${count}`);
    frames.forEach((f, i) => {
      if (f.key !== (i % gop === 0)) throw new Error(`frame ${i} of the clip is ${f.key ? '' : 'not '}a keyframe`);
    });
    const first = frames[0].nals;
    return {
      fps,
      gop,
      width,
      height,
      frames,
      sps: first.find((n) => (n[0] & 0x1f) === 7),
      pps: first.find((n) => (n[0] & 0x1f) === 8),
      bytes: frames.reduce((s, f) => s + f.nals.reduce((t, n) => t + n.length, 0), 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The frames of a recording, as the recorder has them: frame k lies at `from + k / fps`; `gaps` ([fromMs, untilMs])
 * hold no frames; retention may have removed the oldest (`earliest`). Frames are numbered from the recording's start
 * so their content never changes.
 */
export function recordingFrames(rec, clip) {
  const step = 1000 / clip.fps;
  const total = Math.floor(((rec.until - rec.from) * clip.fps) / 1000);
  const timeOf = (k) => rec.from + k * step;
  const inGap = (t) => (rec.gaps ?? []).some(([a, b]) => t >= a && t < b);
  const earliest = rec.earliest ?? rec.from;
  const first = Math.max(0, Math.ceil(((earliest - rec.from) * clip.fps) / 1000 / clip.gop - 1e-9) * clip.gop);
  return {
    step,
    total,
    first,
    timeOf,
    present: (k) => k >= first && k < total && !inGap(timeOf(k)),
    frame: (k) => clip.frames[k % clip.frames.length],
    isKey: (k) => k % clip.gop === 0,
    /** Frame indices the recorder sends for a replay range: from the keyframe at or before `fromMs`, up to (not including) `toMs`. */
    range(fromMs, toMs) {
      let k = Math.max(first, Math.floor((fromMs - rec.from) / step + 1e-9));
      while (k > first && (k % clip.gop !== 0 || !this.present(k))) k--;
      // After a gap the recording resumes on a keyframe (as encoders restart).
      const out = [];
      let needKey = true;
      for (; k < total && timeOf(k) < toMs; k++) {
        if (!this.present(k)) {
          needKey = true;
          continue;
        }
        if (needKey && !this.isKey(k)) continue;
        needKey = false;
        out.push(k);
      }
      return out;
    },
  };
}
