// The small steps of a request: checking identity (proportionately, without keeping a copy of an ID: AVG art. 12(6),
// AP on ID copies) and extending the deadline (AVG art. 12(3): at most two months more, told with reasons within the
// first month).
import type { Config } from '../config/index.js';
import { RefusalError, UsageError } from '../errors.js';
import type { Register, RightsRequest } from '../register/index.js';
import { localDate } from '../time/index.js';
import { extendedDueDate, MAX_EXTENSION_MONTHS } from './deadline.js';
import { letterDigest, writeRightsLetter, type LetterOptions, type WrittenLetter } from './letters.js';

export async function requireRequest(register: Register, id: string): Promise<RightsRequest> {
  const request = await register.getRightsRequest(id);
  if (!request) throw new UsageError('rights.unknown', `There is no request ${id}; \`toezicht rights list\` shows the requests.`);
  return request;
}

export function requireOpen(request: RightsRequest): void {
  if (request.closedAt) throw new RefusalError('rights.closed', `Request ${request.id} was closed on ${request.closedAt.slice(0, 10)} (${request.outcome}); nothing changed.`);
}

// Words that mean a copy of an identity document is being kept.
const ID_COPY = /\b(kopie|copy|copie|scan|foto van (het|de|zijn|haar) (id|paspoort|rijbewijs)|photo of)\b/i;

export interface IdentityResult {
  request: RightsRequest;
  warnings: string[];
  auditSeq: number;
}

export async function verifyIdentity(register: Register, id: string, method: string): Promise<IdentityResult> {
  const request = await requireRequest(register, id);
  requireOpen(request);
  const text = method.trim();
  if (!text) throw new UsageError('rights.method', 'Say how the identity was checked with --method, e.g. "paspoort getoond aan de balie, niet gekopieerd".');
  const warnings: string[] = [];
  if (ID_COPY.test(text)) {
    warnings.push('keep no copy of an identity document: showing it in person is enough (AP, KopieID); if a copy was unavoidable, shield the BSN and photo and destroy it once the identity is checked.');
  }
  if ((request.relation === 'parent' || request.relation === 'guardian') && !/gezag|authority|voogd|guardian|uittreksel|register/i.test(text)) {
    warnings.push(`a ${request.relation} acts for ${request.subject}: check the parental authority (gezag) too, e.g. in the pupil administration, and say so in --method.`);
  }
  const { request: updated, entry } = await register.recordRightsStep(request.id, {
    action: 'rights.identity',
    details: { method: text },
    set: { identityMethod: text, identityCheckedAt: new Date().toISOString(), identityCheckedBy: register.actor, ...(request.state === 'received' ? { state: 'identity-checked' } : {}) },
    expectStates: ['received', 'identity-checked', 'fulfilled'],
  });
  return { request: updated, warnings, auditSeq: entry.seq };
}

export interface ExtendResult {
  request: RightsRequest;
  letters: WrittenLetter[];
  auditSeq: number;
}

export async function extendRequest(config: Config, register: Register, id: string, input: { reason: string; months?: number }, letters: LetterOptions): Promise<ExtendResult> {
  const request = await requireRequest(register, id);
  requireOpen(request);
  const reason = input.reason.trim();
  if (!reason) throw new UsageError('rights.reason', 'An extension needs --reason: why the request is complex or why there are many (it goes in the letter).');
  const months = input.months ?? MAX_EXTENSION_MONTHS;
  if (!Number.isInteger(months) || months < 1 || months > MAX_EXTENSION_MONTHS) {
    throw new UsageError('rights.months', `--months ${months}: a deadline may be extended by one or two months (AVG art. 12(3)).`);
  }
  if (request.extendedDueOn) {
    throw new RefusalError('rights.extended', `Request ${request.id} was already extended to ${request.extendedDueOn}; it cannot be extended again (at most two months in all, AVG art. 12(3)).`);
  }
  const today = localDate(letters.now, config.school.timezone);
  if (today > request.dueOn) {
    throw new RefusalError(
      'rights.extend-late',
      `The first month of request ${request.id} ended on ${request.dueOn}: an extension must be told to the requester within it (AVG art. 12(3)), so it is too late; answer as soon as possible.`,
    );
  }
  const extendedDueOn = extendedDueDate(request.receivedOn, months);
  const extendedAt = new Date(letters.now).toISOString();
  const preview: RightsRequest = { ...request, extendedDueOn, extensionReason: reason, extendedAt };
  const written = await writeRightsLetter(config, preview, 'extension', { extension: { months, reason } }, letters);
  const { request: updated, entry } = await register.recordRightsStep(request.id, {
    action: 'rights.extend',
    details: { months, dueOn: request.dueOn, extendedDueOn, reason, letters: letterDigest(written) },
    set: { extendedDueOn, extensionReason: reason, extendedAt },
    expectStates: ['received', 'identity-checked', 'fulfilled'],
  });
  return { request: updated, letters: written, auditSeq: entry.seq };
}
