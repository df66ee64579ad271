// Closing a request (LEGAL checklist C 7, 9, 10): the answer letter (or the letter that there is no footage), the
// request's preservation hold released so normal retention resumes, and whether it was answered on time. A
// restriction stays: its hold is released only when the restriction ends.
import type { Config } from '../config/index.js';
import { RefusalError, UsageError } from '../errors.js';
import { RIGHTS_OUTCOMES, type Register, type RightsOutcome, type RightsRequest } from '../register/index.js';
import { localDate } from '../time/index.js';
import { answeredOnTime, effectiveDue } from './deadline.js';
import { recordHoldAtStorages } from '../footage/index.js';
import { footageInWindow } from './intake.js';
import { letterDigest, writeRightsLetter, type LetterFacts, type LetterOptions, type WrittenLetter } from './letters.js';
import { requireOpen, requireRequest } from './steps.js';

export interface CloseResult {
  request: RightsRequest;
  onTime: boolean;
  letters: WrittenLetter[];
  /** The preservation hold released now. */
  releasedHold: string | null;
  warnings: string[];
  auditSeq: number;
}

export async function closeRequest(config: Config, register: Register, id: string, input: { outcome: string; reason: string }, letters: LetterOptions): Promise<CloseResult> {
  const request = await requireRequest(register, id);
  requireOpen(request);
  if (!(RIGHTS_OUTCOMES as readonly string[]).includes(input.outcome)) {
    throw new UsageError('rights.outcome', `--outcome "${input.outcome}" is not one of ${RIGHTS_OUTCOMES.join(', ')}.`);
  }
  const outcome = input.outcome as RightsOutcome;
  const reason = input.reason.trim();
  if (!reason) throw new UsageError('rights.reason', 'Closing a request needs --reason: the decision in a sentence (it goes in the answer letter).');
  const f = request.fulfilment ?? {};
  if ((outcome === 'granted' || outcome === 'partial') && request.state !== 'fulfilled') {
    throw new RefusalError('rights.not-fulfilled', `Nothing was done for request ${request.id} yet: carry it out with \`toezicht rights fulfil ${request.id}\`, or close it as refused or no-data.`);
  }
  if (outcome === 'granted' && (f.erased === false || f.blockedBy !== undefined || f.decision === 'rejected')) {
    throw new RefusalError('rights.outcome', `Request ${request.id} was not carried out in full (${f.erased === false ? 'the footage was not erased' : f.decision === 'rejected' ? 'the decision was to reject it' : 'part of the footage is kept under another hold'}); close it as partial or refused.`);
  }

  const tz = config.school.timezone;
  const today = localDate(letters.now, tz);
  const facts: LetterFacts = { outcome, reason, fulfilment: f, closedOn: today };
  if (outcome === 'no-data' && request.from !== undefined && request.to !== undefined) {
    const found = await footageInWindow(config, register, request.cameras, { from: request.from, to: request.to });
    // Deleted by the retention purge (not by an erasure), before the request came in.
    const purged = found.flatMap((x) => x.deleted.filter((d) => d.runOptions.erasure === undefined).map((d) => ({ camera: x.camera, deletedOn: d.deletedAt.slice(0, 10) })));
    facts.noData = { purged: purged.length > 0, purgedOn: purged.map((p) => p.deletedOn).sort().at(-1), stillThere: found.some((x) => x.segments > 0) };
  }
  const blocked = Array.isArray(f.blockedBy) ? (f.blockedBy as { kind: string }[]) : [];
  facts.blocked = blocked.length > 0;
  facts.blockedForCase = blocked.some((b) => b.kind === 'case');
  facts.blockedForRestriction = blocked.some((b) => b.kind === 'restriction' || b.kind === 'request');

  const onTime = answeredOnTime(request, today);
  const hold = request.holdId ? await register.getHold(request.holdId) : undefined;
  const release = hold && !hold.releasedAt ? hold.id : null;
  const restriction = request.restrictionHoldId ? await register.getHold(request.restrictionHoldId) : undefined;
  facts.restricted = Boolean(restriction && !restriction.releasedAt);
  const preview: RightsRequest = { ...request, outcome, outcomeReason: reason };
  const written = await writeRightsLetter(config, preview, outcome === 'no-data' ? 'no-data' : 'answer', facts, letters);
  const at = new Date(letters.now).toISOString();
  const { request: updated, entry } = await register.recordRightsStep(request.id, {
    action: 'rights.close',
    details: { type: request.type, outcome, reason, dueOn: effectiveDue(request), answeredOn: today, onTime, letters: letterDigest(written), ...(release ? { releasedHold: release } : {}) },
    set: { state: 'closed', outcome, outcomeReason: reason, answeredAt: at, closedAt: at },
    ...(release ? { releaseHold: { id: release, reason: `Verzoek ${request.id} afgehandeld (${outcome})` } } : {}),
  });
  const warnings: string[] = [];
  // The release beside the footage too (signed with the school's key), so the storages' hold records agree.
  const released = release ? await register.getHold(release) : undefined;
  if (released) warnings.push(...(await recordHoldAtStorages(config, register, released)));
  if (!onTime) warnings.push(`answered after the deadline (${effectiveDue(request)}); the report counts it as late`);
  if (facts.restricted) {
    warnings.push(`the footage stays restricted under hold ${restriction!.id}: release it (toezicht footage hold release ${restriction!.id} --reason …) only when the restriction ends, after telling the requester (AVG art. 18(3))`);
  }
  return { request: updated, onTime, letters: written, releasedHold: release, warnings, auditSeq: entry.seq };
}
