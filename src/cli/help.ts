// Help in the user's language: topic and command texts from messages/<lang>/*.md where a command's bundle exists
// (messages/<lang>/<command id, dots for spaces>.md), the manifest's English otherwise. Only --lang and LANG choose
// here: help is shown before any config is read. Every help also shows the exit-code table: cron and scripts act on
// the code (docs/exit-codes.md says the same).
import { Help, type Command, type Interfaces } from '@oclif/core';
import { EXIT_CODE_MEANINGS } from '../core/errors.js';
import { messages } from './messages.js';

const helpTexts = messages('help');
const baseTexts = messages('base');

/** The command as its bundle says it in the current language: summary, description, flag summaries. */
function translated(command: Command.Loadable): Command.Loadable {
  const own = messages(command.id.replaceAll(':', '.').replaceAll(' ', '.'));
  const flags = Object.fromEntries(
    Object.entries(command.flags).map(([name, flag]) => {
      // A global flag (--config, --verbose, --lang) is described once, in base.md; a command's own flag in its bundle.
      const summary = own.find(`flags.${name}.summary`) ?? (flag.helpGroup === 'GLOBAL' ? baseTexts.find(`flags.${name}.summary`) : undefined);
      return [name, summary ? { ...flag, summary } : flag];
    }),
  );
  // Example descriptions by position: the bundle's `examples.*` keys are in the order of the command's examples.
  const exampleKeys = own.keys('examples.');
  const examples = command.examples?.map((e, i) => (typeof e === 'object' && exampleKeys[i] ? { ...e, description: own.get(exampleKeys[i]!) } : e));
  return {
    ...command,
    summary: own.find('summary') ?? command.summary,
    description: own.find('description') ?? command.description,
    flags,
    ...(examples ? { examples } : {}),
  } as Command.Loadable;
}

/** The exit codes and what each means, in the help's language. */
export function exitCodeSection(): [string, string][] {
  return EXIT_CODE_MEANINGS.map(([code, meaning]) => [String(code), helpTexts.find(`exit.${code}`) ?? meaning]);
}

export default class ToezichtHelp extends Help {
  public override async showCommandHelp(command: Command.Loadable): Promise<void> {
    await super.showCommandHelp(translated(command));
  }

  public override formatRoot(): string {
    const pjson = this.config.pjson as { description?: string };
    const english = pjson.description;
    pjson.description = helpTexts.find('root.description') ?? english;
    try {
      return `${super.formatRoot()}\n\n${this.section('EXIT CODES (every command; docs/exit-codes.md)', exitCodeSection())}`;
    } finally {
      pjson.description = english;
    }
  }

  protected override formatCommand(command: Command.Loadable): string {
    const own = /Exit codes: /.test(command.description ?? '') ? ' (the description says what they mean here)' : '';
    return `${super.formatCommand(command)}\n\n${this.section(`EXIT CODES${own}`, exitCodeSection())}`;
  }

  protected override formatTopics(topics: Interfaces.Topic[]): string {
    return super.formatTopics(topics.map((t) => ({ ...t, description: helpTexts.find(`topic.${t.name}`) ?? t.description })));
  }

  protected override formatCommands(commands: Command.Loadable[]): string {
    return super.formatCommands(commands.map(translated));
  }
}
