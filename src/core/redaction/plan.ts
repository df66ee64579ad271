// The redaction plan: what will be made unrecognisable in which frame. A versioned JSON document that the planner
// writes, an operator may review and edit (remove a track, add a box), and the renderer follows exactly.
// Documented in docs/redaction.md; change it only by adding a new version.
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import * as z from 'zod';
import { UsageError } from '../errors.js';
import type { Box } from './detect/types.js';

export const PLAN_SCHEMA = 'toezicht.redaction-plan/1';

const finite = z.number().finite();
const frameIndex = z.number().int().min(0);

const keyframe = z.strictObject({
  frame: frameIndex.meta({ description: 'Frame index from the start of the range (0 = first frame rendered)' }),
  x: finite,
  y: finite,
  w: z.number().finite().positive(),
  h: z.number().finite().positive(),
  source: z.enum(['detected', 'extended', 'manual']).optional().meta({
    description: 'detected: a detection (margin added); extended: the track carried before its first or after its last detection; manual: added by a person',
  }),
  score: z.number().min(0).max(1).optional(),
});

const track = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { message: 'expected an id of letters, digits, "-", "_" or "."' }),
  kind: z.enum(['face', 'person', 'region']),
  keyframes: z.array(keyframe).min(1),
  /** Summary for the review; not used by the renderer. */
  detections: z.number().int().min(0).optional(),
  maxScore: z.number().min(0).max(1).optional(),
  note: z.string().optional(),
});

const mask = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  polygon: z.array(z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)])).min(3),
});

const model = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  package: z.string(),
  packageVersion: z.string(),
  licence: z.string(),
  sha256: z.string(),
});

export const planSchema = z.strictObject({
  schema: z.literal(PLAN_SCHEMA),
  createdAt: z.string(),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  input: z.strictObject({
    file: z.string().meta({ description: 'The clip the plan was made for (as given)' }),
    sha256: z.string().optional(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    fps: z.strictObject({ num: z.number().int().positive(), den: z.number().int().positive() }),
    startSeconds: z.number().min(0).meta({ description: 'Start of the range in the clip' }),
    frames: z.number().int().positive().meta({ description: 'Frames in the range; frame indices run 0 … frames-1' }),
  }),
  detection: z.strictObject({
    what: z.array(z.enum(['face', 'person'])),
    models: z.array(model),
    runtime: z.string(),
    detectEvery: z.number().int().positive(),
    framesDetected: z.number().int().min(0),
    settings: z.record(z.string(), z.unknown()),
  }),
  tracking: z.strictObject({
    marginX: z.number().min(0),
    marginTop: z.number().min(0),
    marginBottom: z.number().min(0),
    extendFrames: z.number().int().min(0),
    maxGapFrames: z.number().int().min(0),
  }),
  tracks: z.array(track),
  masks: z.array(mask),
});

export type RedactionPlan = z.output<typeof planSchema>;
export type PlanTrack = RedactionPlan['tracks'][number];
export type PlanKeyframe = PlanTrack['keyframes'][number];
export type PlanMask = RedactionPlan['masks'][number];

/** Checks a parsed plan, with every problem named by its path. */
export function parsePlan(value: unknown, source = 'the plan'): RedactionPlan {
  const schema = (value as { schema?: unknown } | null)?.schema;
  if (typeof schema === 'string' && schema !== PLAN_SCHEMA) {
    throw new UsageError('redaction.plan-version', `${source} is a ${schema} document; this toezicht reads ${PLAN_SCHEMA}: make the plan again with this version.`);
  }
  const parsed = planSchema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new UsageError('redaction.plan-invalid', `${source} is not a valid redaction plan (${lines[0]}); fix it or make it again.`, { details: lines });
  }
  const plan = parsed.data;
  const ids = new Set<string>();
  for (const [i, t] of plan.tracks.entries()) {
    if (ids.has(t.id)) throw new UsageError('redaction.plan-invalid', `${source} has two tracks with id ${t.id} (tracks.${i}); give each track its own id.`);
    ids.add(t.id);
    let last = -1;
    for (const k of t.keyframes) {
      if (k.frame <= last) throw new UsageError('redaction.plan-invalid', `${source}: the keyframes of track ${t.id} must have rising frame numbers (frame ${k.frame} after ${last}).`);
      if (k.frame >= plan.input.frames) throw new UsageError('redaction.plan-invalid', `${source}: track ${t.id} has a keyframe at frame ${k.frame}, past the last frame (${plan.input.frames - 1}).`);
      last = k.frame;
    }
  }
  return plan;
}

/** Canonical bytes of a plan (what its hash is taken over). */
export function planBytes(plan: RedactionPlan): Buffer {
  return Buffer.from(`${JSON.stringify(plan, null, 1)}\n`);
}

export function planSha256(plan: RedactionPlan): string {
  return createHash('sha256').update(planBytes(plan)).digest('hex');
}

export async function readPlan(file: string): Promise<RedactionPlan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError('redaction.plan-unreadable', `The plan ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); check the path.`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError('redaction.plan-invalid', `The plan ${file} is not JSON (${(error as Error).message}); fix the edit or make the plan again.`, { cause: error });
  }
  return parsePlan(json, `The plan ${file}`);
}

/** Writes the plan (0600: it holds where people were), atomically. */
export async function writePlan(plan: RedactionPlan, file: string): Promise<{ file: string; sha256: string }> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, planBytes(plan), { mode: 0o600 });
  await rename(tmp, file);
  return { file, sha256: planSha256(plan) };
}

/**
 * The box of a track at `frame`: linear between the keyframes around it, none before the first or after the last.
 * This is the rule the renderer applies; an edited plan means exactly what this function says.
 */
export function boxAt(track: PlanTrack, frame: number): Box | undefined {
  const k = track.keyframes;
  const first = k[0]!;
  const last = k[k.length - 1]!;
  if (frame < first.frame || frame > last.frame) return undefined;
  // Binary search for the keyframe at or before `frame`.
  let lo = 0;
  let hi = k.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (k[mid]!.frame <= frame) lo = mid;
    else hi = mid - 1;
  }
  const a = k[lo]!;
  if (a.frame === frame || lo === k.length - 1) return { x: a.x, y: a.y, w: a.w, h: a.h };
  const b = k[lo + 1]!;
  const t = (frame - a.frame) / (b.frame - a.frame);
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t, w: a.w + (b.w - a.w) * t, h: a.h + (b.h - a.h) * t };
}
