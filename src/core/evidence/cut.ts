// Pure: which frames of which segments make the clip, where ffmpeg must cut, and what the clip then covers.
// Every segment's frames are placed on the wall clock by its path time (the recorder's clock when it opened the
// file) plus the frame's presentation time in the file. The clip starts at the last keyframe at or before the asked
// start and ends just before the first keyframe after the asked end, so it covers at least the asked range and both
// cuts fall on keyframes. Gaps in the footage stay gaps in the clip's timeline, so clip time + start = wall time.
import { UsageError } from '../errors.js';
import type { MediaInfo, RandomAccess } from '../media/index.js';
import type { SegmentOrigin } from '../storage/index.js';

/** Neighbouring segments this far apart (or closer) are one continuous recording: path times have 1 s resolution. */
export const GAP_TOLERANCE_MS = 1500;
/*
 * In-points are set halfway between the keyframe and the next one. ffmpeg's seek takes the keyframe at or before
 * the in-point, but which of a frame's times it compares differs between versions and edit lists (the 2018 build
 * npm ships compares a time up to the B-frame delay later than the frame's decode time); halfway is right for all
 * of them. The concat demuxer passes on every frame from that keyframe, so the margin costs nothing.
 */

export interface InspectedSegment {
  relPath: string;
  /** Path time (ms): the file's time 0 on the wall clock. */
  start: number;
  /** The file (a file tree), or a name that stands for the object (object storage: see `open`). */
  localPath: string;
  media: MediaInfo;
  /** Object storage: where the bytes are (bucket, key, the version inspected), and how to read that version again. */
  origin?: Extract<SegmentOrigin, { kind: 's3' }>;
  open?: () => Promise<RandomAccess & { close(): Promise<void> }>;
}

/** Decode time of frame i of a segment (seconds, the file's own timeline). */
function decodeTime(s: InspectedSegment, i: number): number {
  return s.media.video.dts[i]!;
}

/** Half the way from keyframe k to the next keyframe (or to the end of the file). */
function margin(s: InspectedSegment, k: number): number {
  const v = s.media.video;
  const next = [...v.keyframes].find((j) => j > k);
  const to = next !== undefined ? v.dts[next]! : v.dts[v.dts.length - 1]! + v.durations[v.durations.length - 1]!;
  return Math.max(0.001, (to - v.dts[k]!) / 2);
}

export interface ClipPart {
  segment: InspectedSegment;
  /** Decode-order frame indices [first, end). */
  firstFrame: number;
  endFrame: number;
  /** concat in-point (seconds in the file's decode timeline), or undefined to start at the file's start. */
  inpoint?: number;
  /** Output seconds this part occupies before the next begins (its frames, plus a gap that follows it). */
  duration?: number;
  /** Seconds of no footage between this part's last frame and the next part's first (0 when they join). */
  gapAfter?: number;
  /** Wall-clock span of the frames used (ms). */
  wallFrom: number;
  wallTo: number;
}

export interface Gap {
  from: number;
  to: number;
  reason: 'no-footage' | 'corrupt';
  /** The corrupt segments that would have covered it. */
  segments?: string[];
}

export interface ClipPlan {
  parts: ClipPart[];
  covered: { from: number; to: number };
  /** Gaps inside the asked range (and inside the clip), in wall time. */
  gaps: Gap[];
  /** Output time at which ffmpeg must stop (seconds), when the last segment is cut. */
  limit?: number;
  frames: number;
  /** Sum of the frames' sizes, when known: the clip's media data is exactly this when frames are copied as they are. */
  frameBytes?: number;
  /** Segments next to each other in time whose frames overlap (a recorder clock step); placed one after the other. */
  overlaps: { segment: string; seconds: number }[];
  /** Container stream ids to pass to ffmpeg (video, then audio when kept), or undefined to map by type. */
  streamIds?: number[];
  /** The segments' decoder configurations differ: ffmpeg must repeat parameter sets in the stream. */
  mixedConfig: boolean;
  video: { codec: string; width?: number; height?: number };
}

function wall(segment: InspectedSegment, seconds: number): number {
  return segment.start + Math.round(seconds * 1000);
}

/** Presentation span (seconds) of decode-order frames [a, b). */
function span(m: MediaInfo, a: number, b: number): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  for (let i = a; i < b; i++) {
    start = Math.min(start, m.video.pts[i]!);
    end = Math.max(end, m.video.pts[i]! + m.video.durations[i]!);
  }
  return { start, end };
}

function describeVideo(m: MediaInfo): string {
  return `${m.video.codec}${m.video.width ? ` ${m.video.width}×${m.video.height}` : ''}`;
}

export interface PlanOptions {
  from: number;
  to: number;
  keepAudio: boolean;
  /** Segments left out because they are damaged: their time shows as gaps of reason corrupt. */
  corrupt?: { relPath: string; start: number; end: number }[];
  timeZoneLabel?: (ms: number) => string;
}

/** Plans the clip of one camera from its inspected segments (any order); undefined when none overlaps the range. */
export function planClip(segmentsIn: InspectedSegment[], options: PlanOptions): ClipPlan | undefined {
  const { from, to } = options;
  const candidates = segmentsIn
    .map((s) => ({ s, sp: span(s.media, 0, s.media.video.pts.length) }))
    .filter(({ s, sp }) => wall(s, sp.end) > from && wall(s, sp.start) < to)
    .sort((a, b) => wall(a.s, a.sp.start) - wall(b.s, b.sp.start) || (a.s.relPath < b.s.relPath ? -1 : 1));
  if (!candidates.length) return undefined;

  const first = candidates[0]!.s;
  const label = options.timeZoneLabel ?? ((ms: number) => new Date(ms).toISOString());
  for (const { s } of candidates) {
    if (s.media.video.codec !== first.media.video.codec || s.media.video.width !== first.media.video.width || s.media.video.height !== first.media.video.height) {
      throw new UsageError(
        'export.format-change',
        `The camera's recordings change from ${describeVideo(first.media)} to ${describeVideo(s.media)} at ${label(s.start)} (${s.relPath}); export the periods before and after that moment separately.`,
      );
    }
  }

  const parts: ClipPart[] = [];
  const last = candidates.length - 1;
  let limitFrame: { index: number; part: number } | undefined;
  candidates.forEach(({ s }, i) => {
    const v = s.media.video;
    const n = v.pts.length;
    let firstFrame = 0;
    if (i === 0) {
      // The last keyframe shown at or before the asked start; the first one if the footage starts later.
      const offset = (from - s.start) / 1000;
      let chosen = v.keyframes[0] ?? 0;
      for (const k of v.keyframes) if (v.pts[k]! <= offset + 1e-9) chosen = Math.max(chosen, k);
      firstFrame = chosen;
    }
    let endFrame = n;
    if (i === last) {
      const offset = (to - s.start) / 1000;
      for (const k of v.keyframes) {
        if (k > firstFrame && v.pts[k]! > offset + 1e-9) {
          endFrame = k;
          limitFrame = { index: k, part: i };
          break;
        }
      }
    }
    const sp = span(s.media, firstFrame, endFrame);
    const startsAtKeyframe = v.keyframes.includes(firstFrame);
    parts.push({
      segment: s,
      firstFrame,
      endFrame,
      ...(startsAtKeyframe ? { inpoint: decodeTime(s, firstFrame) + margin(s, firstFrame) } : {}),
      wallFrom: wall(s, sp.start),
      wallTo: wall(s, sp.end),
    });
  });

  // Durations: the next part's first frame follows this part's last frame, plus the gap between them on the wall clock.
  const overlaps: ClipPlan['overlaps'] = [];
  const base = (p: ClipPart): number => p.inpoint ?? p.segment.media.start;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i]!;
    const q = parts[i + 1]!;
    const v = p.segment.media.video;
    const lastFrame = p.endFrame - 1;
    const ownEnd = decodeTime(p.segment, lastFrame) + v.durations[lastFrame]! - base(p);
    const nextLead = decodeTime(q.segment, q.firstFrame) - base(q);
    const wallGap = q.wallFrom - p.wallTo;
    if (wallGap < -GAP_TOLERANCE_MS) overlaps.push({ segment: q.segment.relPath, seconds: -wallGap / 1000 });
    const gapSeconds = wallGap > GAP_TOLERANCE_MS ? wallGap / 1000 : 0;
    p.duration = Math.max(0.001, ownEnd - nextLead + gapSeconds);
    p.gapAfter = gapSeconds;
  }

  // Where ffmpeg must stop: the output decode time of the first frame left out of the last part.
  let limit: number | undefined;
  if (limitFrame) {
    const offsetOfPart = parts.slice(0, limitFrame.part).reduce((sum, p) => sum + p.duration!, 0);
    const p = parts[limitFrame.part]!;
    const v = p.segment.media.video;
    // ffmpeg moves the output so that its first frame is shown at 0.
    const p0 = parts[0]!;
    const shift = -(span(p0.segment.media, p0.firstFrame, p0.endFrame).start - base(p0));
    const outDts = offsetOfPart + decodeTime(p.segment, limitFrame.index) - base(p) + shift;
    limit = outDts - v.durations[limitFrame.index - 1]! / 4;
  }

  const covered = { from: parts[0]!.wallFrom, to: parts.at(-1)!.wallTo };
  let frames = 0;
  let frameBytes: number | undefined = 0;
  for (const p of parts) {
    frames += p.endFrame - p.firstFrame;
    const sizes = p.segment.media.video.sizes;
    if (!sizes || frameBytes === undefined) frameBytes = undefined;
    else for (let i = p.firstFrame; i < p.endFrame; i++) frameBytes += sizes[i]!;
  }

  const gaps = findGaps(parts, { from: Math.min(from, covered.from), to: Math.max(to, covered.to) }, options.corrupt ?? []).filter((g) => g.to > from && g.from < to);

  const videoIds = new Set(parts.map((p) => p.segment.media.video.trackId));
  const audioIds = new Set(parts.map((p) => p.segment.media.tracks.find((t) => t.kind === 'audio')?.id ?? -1));
  let streamIds: number[] | undefined;
  const videoId = [...videoIds][0]!;
  if (videoIds.size === 1 && videoId > 0) {
    streamIds = [videoId];
    const audioId = [...audioIds][0]!;
    if (options.keepAudio && audioIds.size === 1 && audioId > 0) streamIds.push(audioId);
  }
  const configs = new Set(parts.map((p) => p.segment.media.video.config ?? ''));
  return {
    parts,
    covered,
    gaps,
    ...(limit !== undefined ? { limit } : {}),
    frames,
    ...(frameBytes !== undefined ? { frameBytes } : {}),
    overlaps,
    ...(streamIds ? { streamIds } : {}),
    mixedConfig: configs.size > 1,
    video: { codec: first.media.video.codec, ...(first.media.video.width ? { width: first.media.video.width, height: first.media.video.height! } : {}) },
  };
}

/** Wall-clock intervals of `range` that no part covers (shorter holes than the tolerance are one recording). */
export function findGaps(parts: { wallFrom: number; wallTo: number }[], range: { from: number; to: number }, corrupt: { relPath: string; start: number; end: number }[]): Gap[] {
  const gaps: Gap[] = [];
  let cursor = range.from;
  const sorted = [...parts].sort((a, b) => a.wallFrom - b.wallFrom);
  const push = (a: number, b: number): void => {
    if (b - a <= GAP_TOLERANCE_MS) return;
    const hit = corrupt.filter((c) => c.start < b && c.end > a).map((c) => c.relPath);
    gaps.push({ from: a, to: b, reason: hit.length ? 'corrupt' : 'no-footage', ...(hit.length ? { segments: hit } : {}) });
  };
  for (const p of sorted) {
    if (p.wallFrom > cursor) push(cursor, p.wallFrom);
    cursor = Math.max(cursor, p.wallTo);
  }
  if (range.to > cursor) push(cursor, range.to);
  return gaps;
}
