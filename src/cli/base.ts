// The base of every command: global flags, config and register loading, one error format, exit codes.
import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { ExitCode, isToezichtError, type ToezichtError } from '../core/errors.js';
import { loadConfig, type LoadedConfig } from '../core/config/index.js';
import { openRegister, type Register } from '../core/register/index.js';
import { paint, shown, tidy } from './format.js';
import { LANGUAGES, messages, useLanguage } from './messages.js';

// Colour codes our own views put in a message (a note is painted as a whole, and must not carry a user's escapes).
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;
/** A message for stderr: one tidy sentence, with any terminal escape or newline from user text shown escaped. */
const safeLine = (message: string): string => shown(tidy(message.replace(SGR, '')));

const text = messages('base');
const errorTexts = messages('errors');

// A command's own flag of the same name (reglement render's --lang, the documents' languages) replaces the global one.
export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<Omit<(typeof BaseCommand)['baseFlags'], keyof T['flags']> & T['flags']>;
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    config: Flags.string({
      char: 'c',
      summary: text.get('flags.config.summary'),
      env: 'TOEZICHT_CONFIG',
      helpGroup: 'GLOBAL',
    }),
    verbose: Flags.boolean({ summary: text.get('flags.verbose.summary'), helpGroup: 'GLOBAL' }),
    lang: Flags.string({ summary: text.get('flags.lang.summary'), options: [...LANGUAGES], helpGroup: 'GLOBAL' }),
  };

  protected flags!: CommandFlags<T>;
  protected args!: CommandArgs<T>;
  private openedRegister?: Register;

  public override async init(): Promise<void> {
    await super.init();
    const { args, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as CommandFlags<T>;
    this.args = args as CommandArgs<T>;
    // A command with its own --lang (the language of a document) keeps it; the messages then follow the config or LANG.
    if (!('lang' in (this.ctor.flags ?? {}))) useLanguage({ flag: (flags as { lang?: string }).lang });
  }

  /** True when a person sits at the terminal: prompts and live progress are allowed. */
  protected get interactive(): boolean {
    return Boolean(process.stdin.isTTY && process.stderr.isTTY) && !this.jsonEnabled() && !process.env.CI;
  }

  /** Live progress needs a terminal with a known width (not `script` or a dumb pipe). */
  protected get showProgress(): boolean {
    return this.interactive && (process.stderr.columns ?? 0) > 0;
  }

  protected async readConfig(): Promise<LoadedConfig> {
    const file = (this.flags as { config?: string }).config;
    const loaded = await loadConfig({ ...(file ? { file } : {}) });
    useLanguage({ config: loaded.config.language });
    for (const w of loaded.warnings) this.note(`warning: ${w.message}${w.source ? ` [${w.source}]` : ''}`);
    return loaded;
  }

  protected useRegister(location: string): Register {
    const { register, warnings } = openRegister(location);
    for (const w of warnings) this.note(`warning: ${w}`);
    this.openedRegister = register;
    return register;
  }

  /** A line for the person at the terminal, on stderr (stdout stays for results and JSON). */
  protected note(message: string): void {
    // Our own views may span lines (a finding and its source); each line is made safe on its own.
    const safe = message.split('\n').map(safeLine).join('\n');
    const warning = safe.startsWith('warning:');
    process.stderr.write(`${warning ? paint.warn(`${text.get('warning.prefix')}${safe.slice('warning:'.length)}`) : safe}\n`);
  }

  protected setExitCode(code: ExitCode): void {
    process.exitCode = Math.max(Number(process.exitCode ?? 0), code);
  }

  public override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  }

  public override async finally(error: Error | undefined): Promise<void> {
    this.openedRegister?.close();
    await super.finally(error);
  }

  public override async catch(error: Interfaces.CommandError): Promise<void> {
    const verbose = this.argv.includes('--verbose');
    if (isToezichtError(error)) {
      this.report(error, verbose);
      process.exitCode = error.exitCode;
      return;
    }
    const parseError = error instanceof Errors.CLIError && (error.oclif?.exit === ExitCode.usage || /flag|argument/i.test(error.constructor.name));
    if (parseError || (error instanceof Errors.CLIError && error.oclif?.exit !== undefined)) {
      const exit = error.oclif?.exit ?? ExitCode.usage;
      if (exit === 0 || error.code === 'EEXIT') throw error; // this.exit(): not an error
      // The arguments were parsed, and refused: no "did not parse its arguments" warning after our sentence.
      this.parsed = true;
      const message = usageMessage(error.message, this.config.bin, this.id?.replaceAll(':', this.config.topicSeparator ?? ' '));
      if (this.jsonEnabled() || this.argv.includes('--json')) this.logJson({ error: { code: 'usage', message, exitCode: exit } });
      else process.stderr.write(`${paint.error('error:')} ${safeLine(message)}\n`);
      process.exitCode = exit;
      return;
    }
    // Not ours: a bug or something the code did not foresee.
    const message = tidy(text.get('error.unexpected', { message: error.message }));
    if (this.jsonEnabled()) this.logJson({ error: { code: 'internal', message, exitCode: ExitCode.failure } });
    else {
      process.stderr.write(`${paint.error(text.get('error.prefix'))} ${safeLine(message)}\n`);
      if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
    }
    process.exitCode = ExitCode.failure;
  }

  private report(error: ToezichtError, verbose: boolean): void {
    // An error whose code has a text in messages/<lang>/errors.md is said in the user's language; others as thrown.
    const message = errorTexts.find(error.code, error.params) ?? error.message;
    if (this.jsonEnabled()) {
      this.logJson({ error: { code: error.code, message: tidy(message), details: error.details, exitCode: error.exitCode } });
      return;
    }
    process.stderr.write(`${paint.error(text.get('error.prefix'))} ${safeLine(message)}\n`);
    for (const line of error.details) process.stderr.write(`  ${safeLine(line)}\n`);
    if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
  }
}

/**
 * oclif's parse errors in the tool's own form: one sentence naming the flags by their --name, and where to look
 * ("Missing required flag reason … See more help with --help" → "Missing required flags --reason, --to; …").
 */
export function usageMessage(raw: string, bin: string, command: string | undefined): string {
  const lines = raw
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^The following errors? occurred:?$/.test(l) && !/^See more help with --help$/.test(l));
  const missing = lines.map((l) => /^Missing required flag (\S+)$/.exec(l)?.[1]).filter((m): m is string => Boolean(m));
  const rest = lines.filter((l) => !/^Missing required flag \S+$/.test(l));
  const parts = [
    ...(missing.length ? [`Missing required flag${missing.length > 1 ? 's' : ''} ${missing.map((m) => `--${m}`).join(', ')}`] : []),
    ...(rest.length ? [rest.join(' ').replace(/\s+/g, ' ').replace(/[.:]$/, '')] : []),
  ];
  const help = command ? `"${bin} ${command} --help"` : `"${bin} --help"`;
  return `${parts.join('; ')}. ${help} shows its flags and examples.`;
}
