// Deadlines of data-subject requests on the calendar (AVG art. 12(3); EDPB 01/2022 §5.3), and the age that decides
// who may ask for a child.
import { describe, expect, it } from 'vitest';
import { answeredOnTime, daysLeft, dueDate, extendedDueDate, urgency } from '../../../src/core/rights/index.js';
import { addMonths, ageOn, endOfDay } from '../../../src/core/time/index.js';

describe('the deadline of a request', () => {
  it('is one month from receipt by the calendar, the last day of a shorter month', () => {
    expect(dueDate('2026-01-15')).toBe('2026-02-15');
    expect(dueDate('2026-01-31')).toBe('2026-02-28');
    expect(dueDate('2028-01-31')).toBe('2028-02-29'); // leap year
    expect(dueDate('2026-01-29')).toBe('2026-02-28');
    expect(dueDate('2026-03-31')).toBe('2026-04-30');
    expect(dueDate('2026-12-31')).toBe('2027-01-31'); // across the year
    expect(dueDate('2026-02-28')).toBe('2026-03-28'); // not the end of March: the same date
  });

  it('extends by at most two months, counted from the first deadline or from receipt, whichever is earlier', () => {
    expect(extendedDueDate('2026-01-31', 2)).toBe('2026-04-28'); // 28 Feb + 2 months, not 30 April
    expect(extendedDueDate('2026-01-31', 1)).toBe('2026-03-28');
    expect(extendedDueDate('2026-11-30', 2)).toBe('2027-02-28'); // 30 Dec + 2 months: February has no 30th
    expect(extendedDueDate('2027-11-30', 2)).toBe('2028-02-29');
    expect(extendedDueDate('2026-10-20', 2)).toBe('2027-01-20');
  });

  it('counts days left on the calendar and colours them: green from 10, amber under 10, red under 5 or past', () => {
    const request = { dueOn: '2026-02-28' };
    expect(daysLeft(request, '2026-02-18')).toBe(10);
    expect(urgency(daysLeft(request, '2026-02-18'))).toBe('green');
    expect(urgency(daysLeft(request, '2026-02-19'))).toBe('amber');
    expect(urgency(daysLeft(request, '2026-02-23'))).toBe('amber');
    expect(urgency(daysLeft(request, '2026-02-24'))).toBe('red');
    expect(daysLeft(request, '2026-02-28')).toBe(0);
    expect(daysLeft(request, '2026-03-02')).toBe(-2);
    expect(urgency(-2)).toBe('red');
    // An extension moves the deadline that counts.
    expect(daysLeft({ dueOn: '2026-02-28', extendedDueOn: '2026-04-28' }, '2026-03-02')).toBe(57);
  });

  it('is met by an answer on the last day, not the day after', () => {
    expect(answeredOnTime({ dueOn: '2026-02-28' }, '2026-02-28')).toBe(true);
    expect(answeredOnTime({ dueOn: '2026-02-28' }, '2026-03-01')).toBe(false);
    expect(answeredOnTime({ dueOn: '2026-02-28', extendedDueOn: '2026-04-28' }, '2026-04-01')).toBe(true);
  });

  it('ends at the end of its day in school time, summer time included', () => {
    expect(new Date(endOfDay('2026-02-28', 'Europe/Amsterdam')).toISOString()).toBe('2026-02-28T22:59:59.999Z');
    expect(new Date(endOfDay('2026-07-31', 'Europe/Amsterdam')).toISOString()).toBe('2026-07-31T21:59:59.999Z');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2026-03-15', -3)).toBe('2025-12-15');
  });
});

describe('the age of the person on the footage', () => {
  it('turns 16 on the birthday; someone born on 29 February in a common year on 1 March', () => {
    expect(ageOn('2010-10-20', '2026-10-19')).toBe(15);
    expect(ageOn('2010-10-20', '2026-10-20')).toBe(16);
    expect(ageOn('2012-02-29', '2028-02-28')).toBe(15);
    expect(ageOn('2012-02-29', '2028-02-29')).toBe(16);
    expect(ageOn('2008-02-29', '2025-02-28')).toBe(16);
    expect(ageOn('2008-02-29', '2024-02-28')).toBe(15);
    expect(ageOn('2008-02-29', '2024-03-01')).toBe(16);
  });
});
