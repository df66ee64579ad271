// The outcomes a command can end in, and the exit code cron sees for each.
// One table, shown in `toezicht --help` (docs/exit-codes.md) and used by every command.
export const ExitCode = {
  /** Everything done; nothing to report. */
  ok: 0,
  /** Something failed or a check found problems (expired footage, broken audit chain, partly done). */
  failure: 1,
  /** Bad input or configuration, or a safety refusal: nothing was changed. */
  usage: 2,
  /** Another run holds the lock (a second purge); try again later. */
  busy: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What each exit code means, as every command's --help and docs/exit-codes.md show it. */
export const EXIT_CODE_MEANINGS: readonly [ExitCode, string][] = [
  [ExitCode.ok, 'done; nothing to report'],
  [ExitCode.failure, 'failed, partly done, or a check found problems (cron should alert)'],
  [ExitCode.usage, 'bad input or configuration, an unknown command, or a safety refusal: nothing was changed'],
  [ExitCode.busy, 'another run holds the lock (a second purge): try again later'],
];

/** An error the user can act on: its message is one sentence that says what to do. */
export class ToezichtError extends Error {
  readonly exitCode: ExitCode;
  readonly code: string;
  /** Extra lines shown under the message (one problem per line). */
  readonly details: string[];
  /** The facts in the message, so the CLI can say it in the user's language (messages/<lang>/errors.md, by code). */
  readonly params: Record<string, string | number>;

  constructor(code: string, message: string, options: { exitCode?: ExitCode; details?: string[]; cause?: unknown; params?: Record<string, string | number> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToezichtError';
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.details = options.details ?? [];
    this.params = options.params ?? {};
  }
}

/** Bad flags, arguments or configuration: exit 2, nothing changed. */
export class UsageError extends ToezichtError {
  constructor(code: string, message: string, options: { details?: string[]; cause?: unknown; params?: Record<string, string | number> } = {}) {
    super(code, message, { ...options, exitCode: ExitCode.usage });
    this.name = 'UsageError';
  }
}

/** A safety refusal (missing register, unmounted share …): exit 2, nothing changed. */
export class RefusalError extends ToezichtError {
  constructor(code: string, message: string, options: { details?: string[]; cause?: unknown; params?: Record<string, string | number> } = {}) {
    super(code, message, { ...options, exitCode: ExitCode.usage });
    this.name = 'RefusalError';
  }
}

/** Another process holds the lock. */
export class BusyError extends ToezichtError {
  constructor(code: string, message: string) {
    super(code, message, { exitCode: ExitCode.busy });
    this.name = 'BusyError';
  }
}

export function isToezichtError(error: unknown): error is ToezichtError {
  return error instanceof ToezichtError;
}
