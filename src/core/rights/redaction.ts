// How a data subject's copy is redacted (AVG art. 15(4), EDPB 3/2019 §6.1: a requester gets their own footage with
// everyone else made unrecognisable), on top of `footage export --redact`.
//
// Two steps, both through the export core (no detector, plan or ffmpeg here):
//   1. `rights fulfil ID --plan-only`: a redaction review of the request's cameras and window (plan + contact sheet
//      per camera, `<export id>-review`), under the request's case, so its footage stays under the request's hold.
//      The review is registered like a package and recorded in the request's history (rights.review).
//   2. `rights fulfil ID --keep-track ID…`: the export renders that review's plans (or a reviewed `--plan DIR|FILE`)
//      with every track but the subject's redacted, into the request's package.
// The rights area decides *that* and *for whom*; the export core does the redacting.
import { UsageError } from '../errors.js';
import type { RedactRequest } from '../evidence/index.js';
import type { Register, RightsRequest } from '../register/index.js';

/** How other people are made unrecognisable in a requester's copy. */
export interface SubjectRedaction {
  /** Only make the plan and the contact sheet, for the operator to find the subject's track; nothing is handed out. */
  planOnly: boolean;
  /** Tracks of the data subject (ids on the contact sheet) that stay visible; everyone else is redacted. */
  keepTracks: string[];
  /** A reviewed (edited) plan, or review folder, to render instead of the request's recorded review. */
  plan?: string;
}

/** The review recorded for a request (the newest that still exists), if any. */
export interface RecordedReview {
  reviewId: string;
  reviewDir: string;
}

export async function recordedReview(register: Register, request: RightsRequest): Promise<RecordedReview | undefined> {
  const reviewed = (await register.rightsHistory(request.id)).filter((e) => e.action === 'rights.review' && typeof e.details.reviewDir === 'string');
  if (!reviewed.length) return undefined;
  // A review removed by the purge (its lifetime ended) or replaced no longer counts.
  const live = new Map((await register.listExports({ statuses: ['review'] })).map((r) => [r.id, r]));
  for (const e of reviewed.reverse()) {
    const record = live.get(String(e.details.reviewId));
    if (record && record.caseRef === request.id) return { reviewId: record.id, reviewDir: record.packageDir };
  }
  return undefined;
}

/** The export request's redaction options for a subject's copy (or its review). */
export function subjectRedactionRequest(request: RightsRequest, redaction: SubjectRedaction, review: RecordedReview | undefined): RedactRequest {
  if (redaction.planOnly) {
    if (redaction.keepTracks.length || redaction.plan) {
      throw new UsageError('rights.plan-only', '--plan-only makes the review to pick the subject from; give --keep-track (and --plan) in the next step, not with it.');
    }
    return {};
  }
  const plan = redaction.plan ?? review?.reviewDir;
  if (!plan) {
    throw new UsageError(
      'rights.no-review',
      `Request ${request.id} has no redaction review to render: make one with \`toezicht rights fulfil ${request.id} --plan-only\`, look at the contact sheet, then give the subject's track with --keep-track ID (or a reviewed plan with --plan DIR|FILE).`,
    );
  }
  return { plans: [plan], ...(redaction.keepTracks.length ? { keepTracks: redaction.keepTracks } : {}) };
}

/** True when the operator asked for a review (plan and contact sheet), not the requester's copy. */
export const isReview = (redaction: SubjectRedaction | undefined): boolean => Boolean(redaction?.planOnly);
