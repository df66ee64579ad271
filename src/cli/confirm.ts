// One confirmation before irreversible work (an erasure, a restore over a register): on a terminal, what will
// happen and a question whose default is No; without one, nothing is asked and --yes is required.
import { Flags } from '@oclif/core';
import { RefusalError, UsageError } from '../core/errors.js';
import { paint } from './format.js';

export const yesFlag = {
  yes: Flags.boolean({ char: 'y', summary: 'Do it without asking (for scripts); required without a terminal when something is deleted.' }),
};

export interface Confirmation {
  /** What will be done, e.g. "erase the footage of request R-2026-0002". */
  action: string;
  /** The summary shown above the question (what will be deleted, where). */
  summary: string[];
  /** The flag that would have said yes, for the sentence without a terminal (default --yes). */
  flag?: string;
}

/**
 * Returns when the work may go ahead: `--yes` was given, or the person at the terminal said yes. Otherwise throws
 * (exit 2, nothing changed): without a terminal, or with --json, the command says it needs --yes.
 */
export async function confirmIrreversible(context: { interactive: boolean; yes: boolean; command: string }, c: Confirmation): Promise<void> {
  if (context.yes) return;
  const flag = c.flag ?? '--yes';
  if (!context.interactive) {
    throw new UsageError('confirm.yes-required', `This would ${c.action}, which cannot be undone; nothing was changed. Add ${flag} to do it without a terminal: ${c.summary.join('; ')}.`);
  }
  process.stderr.write(`${paint.warn('This cannot be undone.')} It will ${c.action}:\n${c.summary.map((l) => `  ${l}`).join('\n')}\n`);
  const { confirm } = await import('@inquirer/prompts');
  let yes = false;
  try {
    yes = await confirm({ message: 'Go ahead?', default: false }, { output: process.stderr });
  } catch {
    yes = false; // Ctrl-C or a closed terminal: no
  }
  if (!yes) throw new RefusalError('confirm.declined', `Not confirmed; nothing was changed. Run it again and answer yes, or add ${flag} (${context.command}).`);
}
