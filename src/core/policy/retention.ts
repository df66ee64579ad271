// How long each kind of recording may be kept, from the seeds and the brief, and the cut-off it gives.
import { describeDuration, parseDuration, schoolYearStart, subtractDuration, type Duration } from '../time/index.js';

/** Recording categories of the protocol (seed 001 §1–§5, seed 003), plus `unassigned` for cameras found but not yet given a purpose. */
export const CATEGORIES = ['surveillance', 'covert', 'coaching', 'online-lesson', 'livestream', 'media', 'unassigned'] as const;
export type Category = (typeof CATEGORIES)[number];

/** A retention setting as written in the config: an ISO 8601 duration, `school-year`, or (covert only) `authorisation`. */
export type RetentionSetting = string;

interface Guideline {
  /** What the config gets when it says nothing. Undefined: the school must set it. */
  default?: RetentionSetting;
  /** The longest the sources allow; beyond it is a warning that names the source. */
  limit?: RetentionSetting;
  source: string;
  rule: string;
}

export const RETENTION_GUIDELINES: Record<Category, Guideline> = {
  surveillance: {
    default: 'P28D',
    limit: 'P28D',
    source: 'seed 001 §1.4 lid 3; seed 000 (richtlijn 4 weken)',
    rule: 'surveillance footage is deleted 4 weeks after it was made; longer only for a legal duty or an incident under handling (use a hold)',
  },
  covert: {
    default: 'authorisation',
    source: 'seed 001 §5; BRIEF (hidden camera: the authorised period of the investigation)',
    rule: 'hidden-camera footage is kept for the authorised period of the investigation only',
  },
  coaching: {
    source: 'seed 001 §2.4 lid 2',
    rule: 'coaching recordings are kept as short as their purpose needs; the school sets the period',
  },
  'online-lesson': {
    default: 'P10M',
    limit: 'P10M',
    source: 'seed 001 §3.3 and §3.4 lid 5',
    rule: 'a recording of an online lesson is destroyed within 10 months',
  },
  livestream: {
    default: 'P14D',
    limit: 'P14D',
    source: 'seed 001 §4.4 lid 6',
    rule: 'a livestream recording is destroyed within two weeks',
  },
  media: {
    default: 'school-year',
    limit: 'school-year',
    source: 'seed 003 (5 Bewaartermijn)',
    rule: 'staff photos and videos are kept no longer than the current school year (until 31 July)',
  },
  unassigned: {
    default: 'P28D',
    limit: 'P28D',
    source: 'seed 001 §1.4 lid 3 (held to the surveillance limit until a purpose is assigned)',
    rule: 'a camera without a purpose is held to the surveillance limit of 4 weeks',
  },
};

export function isRetentionSetting(value: string): boolean {
  return value === 'school-year' || value === 'authorisation' || parseDuration(value) !== undefined;
}

// Nominal lengths, to compare a setting with its guideline the way a reader would (P4W equals P28D, P1M exceeds it).
function nominalDays(d: Duration): number {
  return d.years * 365.25 + d.months * 30.436875 + d.weeks * 7 + d.days + d.hours / 24 + d.minutes / 1440 + d.seconds / 86400;
}

/**
 * A duration shorter than one day makes no sense as a retention period: the purge would delete footage minutes
 * after it was written (P0D, PT0S: all of it). The problem in words, naming the category's guideline, or undefined.
 */
export function retentionTooShort(category: Category, setting: RetentionSetting): string | undefined {
  const d = parseDuration(setting);
  if (!d || nominalDays(d) >= 1) return undefined;
  const g = RETENTION_GUIDELINES[category];
  const guideline = g.limit ?? g.default;
  return `${setting} is shorter than one day: footage would be deleted almost as soon as it is recorded. Set at least P1D; the guideline for ${category} is ${guideline ?? 'set by the school'} (${g.source}: ${g.rule})`;
}

export interface RetentionWarning {
  rule: string;
  message: string;
  source: string;
}

/** Warnings for a category's retention setting: beyond its guideline, or missing where the school must set it. */
export function retentionWarnings(category: Category, setting: RetentionSetting | undefined, where: string): RetentionWarning[] {
  const g = RETENTION_GUIDELINES[category];
  if (setting === undefined) {
    if (g.default === undefined) {
      return [
        {
          rule: `retention.${category}.missing`,
          message: `${where}: no retention period is set for ${category} recordings, so their footage is kept until you set one (${g.rule})`,
          source: g.source,
        },
      ];
    }
    return [];
  }
  if (setting === 'authorisation' && category !== 'covert') {
    return [{ rule: `retention.${category}.authorisation`, message: `${where}: 'authorisation' applies to covert cameras only; footage is kept until you set a period`, source: g.source }];
  }
  if (g.limit === undefined || setting === g.limit) return [];
  const beyond = (): RetentionWarning => ({
    rule: `retention.${category}.beyond-guideline`,
    message: `${where} is ${setting}, beyond the guideline of ${g.limit} for ${category}: ${g.rule}`,
    source: g.source,
  });
  if (g.limit === 'school-year') {
    const d = parseDuration(setting);
    // A duration for school-year material still ends with the school year; warn only where it says more than a year.
    if (d && nominalDays(d) > 366) {
      return [{ rule: `retention.${category}.beyond-guideline`, message: `${where} is ${setting}, but ${category} material is deleted at the end of the school year anyway: ${g.rule}`, source: g.source }];
    }
    return [];
  }
  const limit = parseDuration(g.limit)!;
  if (setting === 'school-year') return [beyond()];
  const d = parseDuration(setting);
  if (d && nominalDays(d) > nominalDays(limit) + 1e-9) return [beyond()];
  return [];
}

export interface CutoffInput {
  category: Category;
  setting: RetentionSetting | undefined;
  timeZone: string;
  /** End of a covert camera's authorised period, when one is recorded. */
  authorisedUntil?: number;
}

export interface Cutoff {
  /** Footage whose end lies before this instant has outlived its retention. -Infinity: keep everything. */
  before: number;
  /** The rule in words, for reports: `surveillance P28D (28 days)`. */
  rule: string;
}

/**
 * The retention cut-off at `now`: a segment whose end is before it may be deleted (unless a hold covers it).
 * Every rule reduces to one instant per camera, so the purge decides each file with one comparison.
 */
export function retentionCutoff(input: CutoffInput, now: number): Cutoff {
  const setting = input.setting ?? RETENTION_GUIDELINES[input.category].default;
  const label = `${input.category} ${setting ?? '(not set)'}`;
  if (setting === undefined) return { before: -Infinity, rule: `${label}: kept until a retention period is set` };
  if (setting === 'authorisation') {
    if (input.category !== 'covert' || input.authorisedUntil === undefined) {
      return { before: -Infinity, rule: `${label}: kept, no end of the authorised period is recorded` };
    }
    return now >= input.authorisedUntil
      ? { before: now, rule: `${label}: the authorised period has ended` }
      : { before: -Infinity, rule: `${label}: within the authorised period` };
  }
  const yearStart = schoolYearStart(now, input.timeZone);
  if (setting === 'school-year') return { before: yearStart, rule: `${label}: until the end of the school year` };
  const d = parseDuration(setting)!;
  const byDuration = subtractDuration(now, d, input.timeZone);
  if (input.category === 'media') {
    // Media never outlives its school year (seed 003 §5); a duration can only make it shorter.
    return { before: Math.max(byDuration, yearStart), rule: `${label} (${describeDuration(d)}), at most the school year` };
  }
  return { before: byDuration, rule: `${label} (${describeDuration(d)})` };
}
