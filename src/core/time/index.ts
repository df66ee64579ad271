// Time in the school's zone: parsing what people type, durations, and summer-time-safe conversions.
export { parseDuration, isDuration, durationBounds, subtractDuration, describeDuration, type Duration } from './duration.js';
export { parseDate, formatDateParts, localDate, addMonths, daysBetween, endOfDay, ageOn } from './calendar.js';
export { parseInstant, schoolYearStart, schoolYearLabel, type ParseInstantOptions } from './instant.js';
export {
  isValidTimeZone,
  wallTimeAt,
  offsetAt,
  zonedToInstant,
  daysInMonth,
  formatZoned,
  formatLocalShort,
  formatUtc,
  type WallTime,
  type Resolve,
} from './zone.js';
