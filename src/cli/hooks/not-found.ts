// An unknown command (a typo): name the nearest command and stop with exit 2. Never run a guess: the nearest
// command to a typo may delete footage (`footage purg` → `footage purge`) or disclose it.
import type { Hook } from '@oclif/core';
import { ExitCode } from '../../core/errors.js';

/** Edit distance (insertions, deletions, substitutions), for the nearest command. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/** The known command nearest to `typed` (ids with ':'), when it is near enough to be what was meant. */
export function nearestCommand(typed: string, known: readonly string[]): string | undefined {
  // The topic left out ("hold add" for "footage hold add"): the one command that ends with what was typed.
  const ending = known.filter((id) => id.endsWith(`:${typed}`));
  if (ending.length === 1) return ending[0];
  let best: { id: string; d: number } | undefined;
  for (const id of known) {
    const d = distance(typed, id);
    if (!best || d < best.d) best = { id, d };
  }
  return best && best.d <= Math.max(2, Math.floor(typed.length / 3)) ? best.id : undefined;
}

const hook: Hook<'command_not_found'> = async function (opts) {
  const separator = opts.config.topicSeparator ?? ' ';
  const show = (id: string): string => id.replaceAll(':', separator);
  const known = opts.config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]);
  const typed = show(opts.id);
  const near = nearestCommand(opts.id, known);
  const bin = opts.config.bin;
  const message = `"${typed}" is not a ${bin} command${near ? `; did you mean "${bin} ${show(near)}"? Nothing was run: type it out` : ''}. "${bin} --help" lists the commands.`;
  if ((opts.argv ?? []).includes('--json')) {
    process.stdout.write(`${JSON.stringify({ error: { code: 'command.unknown', message, ...(near ? { suggestion: show(near) } : {}), exitCode: ExitCode.usage } }, null, 2)}\n`);
  } else {
    const red = process.stderr.isTTY && !process.env.NO_COLOR ? (s: string): string => `\u001b[31;1m${s}\u001b[0m` : (s: string): string => s;
    process.stderr.write(`${red('error:')} ${message}\n`);
  }
  this.exit(ExitCode.usage);
};

export default hook;
