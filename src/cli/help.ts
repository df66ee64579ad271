// Help with the exit-code table: cron and scripts act on the code, so every command's --help and the top-level
// help show what each one means (docs/exit-codes.md says the same).
import { Help, type Command } from '@oclif/core';
import { EXIT_CODE_MEANINGS } from '../core/errors.js';

export function exitCodeSection(): [string, string][] {
  return EXIT_CODE_MEANINGS.map(([code, meaning]) => [String(code), meaning]);
}

export default class ToezichtHelp extends Help {
  public override formatRoot(): string {
    return `${super.formatRoot()}\n\n${this.section('EXIT CODES (every command; docs/exit-codes.md)', exitCodeSection())}`;
  }

  protected override formatCommand(command: Command.Loadable): string {
    const own = /Exit codes: /.test(command.description ?? '') ? ' (the description says what they mean here)' : '';
    return `${super.formatCommand(command)}\n\n${this.section(`EXIT CODES${own}`, exitCodeSection())}`;
  }
}
