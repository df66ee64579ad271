// Why a segment could not be opened or read, as codes a caller can tell apart: gone (deleted or purged), replaced
// (the version that was opened is no longer what the key holds) or unreadable (anything else).
import { ToezichtError } from '../errors.js';

export const SEGMENT_GONE = 'storage.segment-gone';
export const SEGMENT_REPLACED = 'storage.segment-replaced';
export const SEGMENT_UNREADABLE = 'storage.segment-unreadable';

export function segmentGone(message: string, cause?: unknown): ToezichtError {
  return new ToezichtError(SEGMENT_GONE, message, cause === undefined ? {} : { cause });
}

export function segmentReplaced(message: string, cause?: unknown): ToezichtError {
  return new ToezichtError(SEGMENT_REPLACED, message, cause === undefined ? {} : { cause });
}

export function segmentUnreadable(message: string, cause?: unknown): ToezichtError {
  return new ToezichtError(SEGMENT_UNREADABLE, message, cause === undefined ? {} : { cause });
}
