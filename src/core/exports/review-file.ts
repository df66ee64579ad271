// The file that marks a redaction review folder (written by core/evidence, recognised by the purge).
export const REVIEW_FILE = 'review.json';
