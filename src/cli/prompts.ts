// The DPIA questionnaire on a terminal, with @inquirer/prompts (loaded only when a person is there to answer).
import type { Asker } from '../core/documents/index.js';

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
