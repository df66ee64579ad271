// Deadlines of a data-subject request, on the calendar (AVG art. 12(3)): an answer within one month of receipt;
// at most two months more for a complex request, announced with reasons before the first month ends.
// EDPB 01/2022 §5.3: a month runs to the same date of the next month, or its last day when that date does not
// exist (31 January → 28 or 29 February). A deadline that falls on a weekend is not moved: answering earlier is
// always safe.
import type { RightsRequest } from '../register/index.js';
import { addMonths, daysBetween } from '../time/index.js';

export const MAX_EXTENSION_MONTHS = 2;

/** One month from the day of receipt. */
export function dueDate(receivedOn: string): string {
  return addMonths(receivedOn, 1);
}

/**
 * The deadline after an extension by `months` (1 or 2): that many months after the first deadline, or after
 * receipt plus one month and `months`, whichever comes first (31 January: 28 February, then 28 April).
 */
export function extendedDueDate(receivedOn: string, months: number): string {
  const fromDue = addMonths(dueDate(receivedOn), months);
  const fromReceipt = addMonths(receivedOn, 1 + months);
  return fromDue < fromReceipt ? fromDue : fromReceipt;
}

/** The deadline that applies now. */
export function effectiveDue(request: Pick<RightsRequest, 'dueOn' | 'extendedDueOn'>): string {
  return request.extendedDueOn ?? request.dueOn;
}

export type Urgency = 'green' | 'amber' | 'red';

/** Days left as the list colours them: green ≥ 10, amber < 10, red < 5 or past the deadline. */
export function urgency(daysLeft: number): Urgency {
  if (daysLeft < 5) return 'red';
  if (daysLeft < 10) return 'amber';
  return 'green';
}

/** Calendar days from `today` to the deadline (0 on its last day, negative once past). */
export function daysLeft(request: Pick<RightsRequest, 'dueOn' | 'extendedDueOn'>, today: string): number {
  return daysBetween(today, effectiveDue(request));
}

/** Answered on or before its deadline (the day of the answer, school time). */
export function answeredOnTime(request: Pick<RightsRequest, 'dueOn' | 'extendedDueOn'>, answeredOn: string): boolean {
  return answeredOn <= effectiveDue(request);
}
