// Questions on a terminal, with @inquirer/prompts (loaded only when a person is there to answer): the DPIA
// questionnaire's asker, and keeping answers in a file when the work after the last question fails.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Asker } from '../core/documents/index.js';
import { UsageError } from '../core/errors.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function terminalAsker(): Promise<Asker> {
  const { input, confirm, number } = await import('@inquirer/prompts');
  return {
    text: (message, options = {}) =>
      input({
        message,
        ...(options.default ? { default: options.default } : {}),
        required: options.required ?? false,
        ...(options.date ? { validate: (v: string) => v.trim() === '' || DATE.test(v.trim()) || 'YYYY-MM-DD' } : {}),
      }),
    confirm: (message, defaultValue) => confirm({ message, default: defaultValue }),
    scale: async (message, defaultValue) => (await number({ message, default: defaultValue, min: 1, max: 4, step: 1, required: true })) ?? defaultValue,
  };
}

/**
 * After the questions were answered and the work then failed: offers (default yes) to write the answers to a file
 * it names, 0600 since answers hold names and dates of birth. Returns the file, or undefined when declined.
 */
export async function offerToKeepAnswers(answers: object, name: string, now = new Date()): Promise<string | undefined> {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const file = path.resolve(`${name}-answers-${stamp}.json`);
  const { confirm } = await import('@inquirer/prompts');
  let keep = false;
  try {
    keep = await confirm({ message: `Keep your answers in ${path.relative(process.cwd(), file)} to try again with --answers?`, default: true }, { output: process.stderr });
  } catch {
    keep = false;
  }
  if (!keep) return undefined;
  writeFileSync(file, `${JSON.stringify(answers, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return file;
}

/** Answers kept by offerToKeepAnswers (a JSON object), for `--answers FILE`. */
export function readAnswers(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError('answers.unreadable', `--answers ${file} cannot be read as kept answers (${(error as Error).message}); give the file the command named.`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError('answers.unreadable', `--answers ${file} holds no answers (a JSON object); give the file the command named.`);
  return parsed as Record<string, unknown>;
}
