// THE SEAM between a data subject's copy and `footage export --redact` (merged separately).
//
// Art. 15(4) AVG and EDPB 3/2019 §6.1: a requester gets their own footage with everyone else made unrecognisable.
// The operator first makes the redaction plan and looks at its contact sheet (`rights fulfil ID --plan-only`), picks
// the subject's track(s), then exports with everyone but them redacted (`rights fulfil ID --keep-track f3`, or with a
// reviewed `--plan FILE`). The rights area decides *that* and *for whom*; the export core does the redacting.
//
// `subjectRedactionRequest` turns the operator's choice into the export request's redaction options. It is the only
// place that knows their names: when the `--redact` work is merged, map the fields below onto its ExportRequest
// options (see docs/redaction.md "Wiring it into footage export --redact") and remove the refusal.
import { RefusalError } from '../errors.js';
import type { ExportRequest } from '../evidence/index.js';

/** How other people are made unrecognisable in a requester's copy. */
export interface SubjectRedaction {
  /** Only make the plan and the contact sheet, for the operator to find the subject's track; nothing is handed out. */
  planOnly: boolean;
  /** Tracks of the data subject (ids on the contact sheet) that stay visible; everyone else is redacted. */
  keepTracks: string[];
  /** A reviewed (edited) plan to render instead of a fresh one. */
  plan?: string;
}

/** The export request's redaction options for a subject's copy. */
export function subjectRedactionRequest(redaction: SubjectRedaction): Partial<ExportRequest> {
  // Until footage export can redact, no copy with other people in it is made: refuse, changing nothing.
  // After the merge this returns e.g. { redact: true, keepTracks: redaction.keepTracks, planOnly: redaction.planOnly,
  // ...(redaction.plan ? { plan: redaction.plan } : {}) }.
  void redaction;
  throw new RefusalError(
    'rights.redaction-unavailable',
    'This toezicht cannot redact an export yet (footage export --redact is not part of this build), so no copy with other people in it was made; if nobody else is recognisable in the window, fulfil it with --unredacted "<why>", or offer a viewing at school (--viewing).',
  );
}

/** True when the export made for this redaction is a review (plan and contact sheet), not the requester's copy. */
export const isReview = (redaction: SubjectRedaction | undefined): boolean => Boolean(redaction?.planOnly);
